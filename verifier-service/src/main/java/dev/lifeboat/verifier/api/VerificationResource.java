package dev.lifeboat.verifier.api;

import java.io.IOException;
import java.io.InputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Blocking;

import dev.lifeboat.kit.api.PathIds;
import dev.lifeboat.kit.api.Problem;
import dev.lifeboat.kit.security.LifeboatRoles;
import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotLayout;

/**
 * The stored verification report of a snapshot, exactly as {@code verification.json} holds it.
 * It names namespaces, resource counts and member peer URLs: viewers only.
 */
@Path("/api/v1/clusters/{clusterId}/snapshots/{snapshotId}/verification")
@RolesAllowed(LifeboatRoles.VIEWER)
public class VerificationResource {
    private static final Logger LOG = Logger.getLogger(VerificationResource.class);

    private final Regions regions;

    public VerificationResource(Regions regions) {
        this.regions = regions;
    }

    /** 200 with the report, 404 when the snapshot is not verified (or not there), 400 for invalid ids. */
    @GET
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    public Response verification(@PathParam("clusterId") String clusterId, @PathParam("snapshotId") String snapshotId,
                                 @QueryParam("region") String region) {
        PathIds.clusterId(clusterId);
        PathIds.snapshotId(snapshotId);
        String regionName = PathIds.region(region, regions);
        String key = SnapshotLayout.verificationKey(clusterId, snapshotId);
        try (InputStream in = regions.get(regionName).get(key)) {
            return Response.ok(in.readAllBytes(), MediaType.APPLICATION_JSON).build();
        } catch (ObjectMissingException e) {
            throw Problem.notFound("snapshot " + snapshotId + " of cluster " + clusterId
                    + " has no verification in region " + regionName);
        } catch (IOException e) {
            LOG.warnf("verification %s/%s: the object store of region %s broke off the read: %s", clusterId, snapshotId,
                    regionName, e.getMessage());
            throw Problem.unavailable("the object store of region " + regionName
                    + " broke off the read; the service log has the details");
        }
    }
}
