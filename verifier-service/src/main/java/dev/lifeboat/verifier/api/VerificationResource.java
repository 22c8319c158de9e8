package dev.lifeboat.verifier.api;

import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;

import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoreException;

/** The stored verification report of a snapshot, exactly as {@code verification.json} holds it. */
@Path("/api/v1/clusters/{clusterId}/snapshots/{snapshotId}/verification")
public class VerificationResource {
    private final Regions regions;

    public VerificationResource(Regions regions) {
        this.regions = regions;
    }

    /** 200 with the report, 404 when the snapshot is not verified (or not there), 400 for invalid ids. */
    @GET
    @Blocking
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response verification(@PathParam("clusterId") String clusterId, @PathParam("snapshotId") String snapshotId,
                                 @QueryParam("region") String region) {
        if (!SnapshotIds.isValidClusterId(clusterId)) {
            return Problem.response(Response.Status.BAD_REQUEST, "invalid cluster id: must be a DNS-1123 label");
        }
        if (!SnapshotIds.isValidSnapshotId(snapshotId)) {
            return Problem.response(Response.Status.BAD_REQUEST, "invalid snapshot id: expected yyyyMMddTHHmmssZ-xxxxxxxx");
        }
        String regionName = region == null || region.isBlank() ? regions.primaryName() : region;
        if (!regions.has(regionName)) {
            return Problem.response(Response.Status.BAD_REQUEST, "unknown region " + regionName);
        }
        String key = SnapshotLayout.verificationKey(clusterId, snapshotId);
        try (InputStream in = regions.get(regionName).get(key)) {
            return Response.ok(in.readAllBytes(), MediaType.APPLICATION_JSON).build();
        } catch (ObjectMissingException e) {
            return Problem.response(Response.Status.NOT_FOUND, "snapshot " + snapshotId + " of cluster " + clusterId
                    + " has no verification in region " + regionName);
        } catch (StoreException | IOException e) {
            return Problem.response(Response.Status.SERVICE_UNAVAILABLE, "object store of region " + regionName
                    + " is unavailable");
        }
    }
}
