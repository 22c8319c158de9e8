package dev.lifeboat.snapshot.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.security.Caller;
import dev.lifeboat.kit.security.LifeboatRoles;
import dev.lifeboat.kit.api.PathIds;
import dev.lifeboat.kit.api.Problem;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.snapshot.registry.RegistryAudit;
import dev.lifeboat.snapshot.requests.OnDemandSnapshots;
import dev.lifeboat.snapshot.requests.SnapshotAnswer;
import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotCatalog;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/** On-demand snapshots and the catalog of what the primary region holds. */
@Path("/api/v1/clusters/{clusterId}/snapshots")
@Blocking
public class SnapshotResource {
    private final ClusterRegistry registry;
    private final OnDemandSnapshots onDemand;
    private final Regions regions;
    private final SnapshotCatalog catalog;

    private final RegistryAudit audit;
    private final SecurityIdentity identity;

    public SnapshotResource(ClusterRegistry registry, OnDemandSnapshots onDemand, Regions regions, RegistryAudit audit,
                            SecurityIdentity identity) {
        this.registry = registry;
        this.audit = audit;
        this.identity = identity;
        this.onDemand = onDemand;
        this.regions = regions;
        this.catalog = new SnapshotCatalog(regions.primary());
    }

    /** The answer to a snapshot request. */
    public record Accepted(String clusterId, String snapshotId, String status) {}

    /** One snapshot: its manifest and, once verified, its verification report. */
    public record SnapshotDetail(SnapshotManifest manifest, JsonNode verification) {}

    @POST
    @RolesAllowed(LifeboatRoles.OPERATOR)
    @Operation(summary = "Take a snapshot now (202 with its id; 409 while one is running on any replica;"
            + " 503 when the replica that owns the cluster does not answer, or has not read its registration yet,"
            + " within the request timeout: try again)")
    public Response take(@PathParam("clusterId") String clusterId) throws InterruptedException {
        ClusterSpec spec = ClusterResource.require(registry, clusterId);
        SnapshotAnswer answer = onDemand.request(clusterId, spec);
        switch (answer.outcome()) {
            case ACCEPTED -> {
                audit.recordSnapshotRequest(clusterId, Caller.of(identity), answer.snapshotId());
                return Response.accepted(new Accepted(clusterId, answer.snapshotId(), "RUNNING"))
                        .location(URI.create("/api/v1/clusters/" + clusterId + "/snapshots/" + answer.snapshotId()))
                        .build();
            }
            case BUSY -> throw Problem.conflict(answer.detail());
            case NOT_REGISTERED -> throw Problem.notFound(answer.detail());
            default -> throw Problem.unavailable(answer.detail());
        }
    }

    /** A page's size when the caller names none, and the most it may ask for. */
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    @GET
    @RolesAllowed(LifeboatRoles.VIEWER)
    @Operation(summary = "The catalog: snapshots in the primary region, newest first, a page at a time "
            + "(limit, default 100, at most 1000; the next page's link is in the Link header, rel=next); each with "
            + "its state: PRESENT (complete), or UNREADABLE, VANISHED, UNAVAILABLE with the problem when its manifest "
            + "cannot be read")
    public Response list(@PathParam("clusterId") String clusterId,
                         @QueryParam("limit") @DefaultValue("" + DEFAULT_LIMIT) String limitParam,
                         @QueryParam("before") String before) {
        PathIds.clusterId(clusterId);
        int limit = limit(limitParam);
        if (before != null) {
            PathIds.snapshotId(before);
        }
        SnapshotCatalog.Page page = catalog.page(clusterId, before, limit);
        List<SnapshotSummary> snapshots = page.entries().stream().map(SnapshotSummary::of).toList();
        if (snapshots.isEmpty() && before == null && registry.get(clusterId).isEmpty()) {
            throw Problem.notFound("cluster " + clusterId + " is not registered and has no snapshots");
        }
        Response.ResponseBuilder ok = Response.ok(snapshots);
        if (page.nextBefore() != null) {
            ok.link(URI.create("/api/v1/clusters/" + clusterId + "/snapshots?limit=" + limit + "&before="
                    + page.nextBefore()), "next");
        }
        return ok.build();
    }

    private static int limit(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw Problem.badRequest("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    @GET
    @RolesAllowed(LifeboatRoles.VIEWER)
    @Path("{snapshotId}")
    @Operation(summary = "One snapshot: manifest and verification report")
    public SnapshotDetail get(@PathParam("clusterId") String clusterId, @PathParam("snapshotId") String snapshotId) {
        PathIds.clusterId(clusterId);
        PathIds.snapshotId(snapshotId);
        SnapshotManifest manifest;
        try {
            manifest = regions.primary().getJson(SnapshotLayout.manifestKey(clusterId, snapshotId),
                    SnapshotManifest.class);
        } catch (ObjectMissingException e) {
            throw Problem.notFound("no complete snapshot " + snapshotId + " of cluster " + clusterId);
        }
        JsonNode verification = null;
        try {
            verification = regions.primary().getJson(SnapshotLayout.verificationKey(clusterId, snapshotId),
                    JsonNode.class);
        } catch (ObjectMissingException notYet) {
            // not verified (yet)
        }
        return new SnapshotDetail(manifest, verification);
    }
}
