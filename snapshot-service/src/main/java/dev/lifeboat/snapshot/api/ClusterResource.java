package dev.lifeboat.snapshot.api;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestResponse;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.api.FieldError;
import dev.lifeboat.kit.api.PathIds;
import dev.lifeboat.kit.api.Problem;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.registry.ClusterSpecValidator;
import dev.lifeboat.kit.registry.RegistrationRules;
import dev.lifeboat.kit.security.Caller;
import dev.lifeboat.kit.security.LifeboatRoles;
import dev.lifeboat.snapshot.registry.ClusterRegistrar;
import dev.lifeboat.snapshot.registry.ProtectedChanges;
import dev.lifeboat.snapshot.registry.RegistryAudit;
import dev.lifeboat.snapshot.taking.RunningSnapshot;
import dev.lifeboat.snapshot.taking.SnapshotJobs;
import dev.lifeboat.snapshot.scheduling.SnapshotScheduler;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotCatalog;
import dev.lifeboat.store.StoreException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/**
 * The cluster registry: register, read, remove. Viewers read, operators register and update,
 * admins deregister and make the changes {@link ProtectedChanges} names. Every change is audited
 * once Kafka has acknowledged it ({@link RegistryAudit#made}): a change that was not made leaves
 * no audit record.
 */
@Path("/api/v1/clusters")
@Blocking
public class ClusterResource {
    private final ClusterRegistry registry;
    private final ClusterRegistrar registrar;
    private final ClusterSpecValidator validator;
    private final SnapshotScheduler scheduler;
    private final SnapshotJobs runner;
    private final RegistryAudit audit;
    private final SnapshotCatalog catalog;
    private final SecurityIdentity identity;

    public ClusterResource(ClusterRegistry registry, ClusterRegistrar registrar, Regions regions, SnapshotScheduler scheduler, SnapshotJobs runner,
                           RegistryAudit audit, SecurityIdentity identity, RegistrationRules rules) {
        this.registry = registry;
        this.registrar = registrar;
        // the same rules the cluster registry applies to every record it reads
        this.validator = rules.validator();
        this.scheduler = scheduler;
        this.runner = runner;
        this.audit = audit;
        this.catalog = new SnapshotCatalog(regions.primary());
        this.identity = identity;
    }

    @PUT
    @Path("{clusterId}")
    @RolesAllowed(LifeboatRoles.OPERATOR)
    @Operation(summary = "Register or update a cluster (disabling its schedule or shrinking its retention needs lifeboat-admin)")
    public RestResponse<ClusterView> put(@PathParam("clusterId") String clusterId, ClusterSpec body) {
        List<FieldError> errors = validator.validate(clusterId, body);
        if (!errors.isEmpty()) {
            throw Problem.badRequest(errors);
        }
        ClusterSpec spec = validator.resolved(clusterId, body);
        ClusterSpec before = registry.get(clusterId).orElse(null);
        List<ProtectedChanges.Change> weakening = ProtectedChanges.of(before, spec);
        requireAdminFor(weakening);
        String actor = Caller.of(identity);
        registrar.put(clusterId, spec);
        audit.made(RegistryAudit.change(clusterId, actor, before, spec, weakening, false), weakening);
        ClusterView view = view(clusterId, spec);
        return before != null ? RestResponse.ok(view)
                : RestResponse.status(Response.Status.CREATED, view);
    }

    @GET
    @RolesAllowed(LifeboatRoles.VIEWER)
    @Operation(summary = "List registered clusters")
    public List<ClusterView> list() {
        return registry.all().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> view(e.getKey(), e.getValue()))
                .toList();
    }

    @GET
    @Path("{clusterId}")
    @RolesAllowed(LifeboatRoles.VIEWER)
    @Operation(summary = "Read one cluster")
    public ClusterView get(@PathParam("clusterId") String clusterId) {
        return view(clusterId, require(registry, clusterId));
    }

    @DELETE
    @Path("{clusterId}")
    @RolesAllowed(LifeboatRoles.ADMIN)
    @Operation(summary = "Stop backing up a cluster; its snapshots stay in the store")
    public Response delete(@PathParam("clusterId") String clusterId,
                           @Parameter(description = "true: the admin confirms that the cluster's backups may stop; "
                                   + "the freshness watchdog then stops watching it")
                           @QueryParam("intended") @DefaultValue("false") boolean intended) {
        PathIds.clusterId(clusterId);
        ClusterSpec before = registry.get(clusterId).orElse(null);
        boolean hasSnapshots = stillHasSnapshots(clusterId);
        List<ProtectedChanges.Change> weakening = before != null && hasSnapshots
                ? ProtectedChanges.of(before, null) : List.of();
        if (before == null) {
            // a retired cluster (deregistered, still watched) is removed for good only when intended
            before = registry.retired(clusterId).filter(spec -> intended).orElseThrow(
                    () -> Problem.notFound("cluster " + clusterId + " is not registered"));
        }
        String actor = Caller.of(identity);
        registrar.remove(clusterId, intended || !hasSnapshots, actor);
        audit.made(RegistryAudit.change(clusterId, actor, before, null, weakening, intended), weakening);
        return Response.noContent().build();
    }

    /** Deregistering a cluster whose snapshots are gone weakens nothing; when the store cannot tell, assume it does. */
    private boolean stillHasSnapshots(String clusterId) {
        try {
            return !catalog.complete(clusterId).isEmpty();
        } catch (StoreException e) {
            return true;
        }
    }

    private void requireAdminFor(List<ProtectedChanges.Change> weakening) {
        if (!weakening.isEmpty() && !identity.hasRole(LifeboatRoles.ADMIN)) {
            throw new ForbiddenException("this change needs " + LifeboatRoles.ADMIN + ": it "
                    + String.join("; ", RegistryAudit.descriptions(weakening)));
        }
    }

    private ClusterView view(String clusterId, ClusterSpec spec) {
        return new ClusterView(clusterId, spec, scheduler.nextFire(clusterId),
                runner.running(clusterId).map(RunningSnapshot::snapshotId).orElse(null));
    }

    /** The registered spec, or 400 for an invalid id and 404 for an unknown one. */
    static ClusterSpec require(ClusterRegistry registry, String clusterId) {
        PathIds.clusterId(clusterId);
        return registry.get(clusterId)
                .orElseThrow(() -> Problem.notFound("cluster " + clusterId + " is not registered"));
    }
}
