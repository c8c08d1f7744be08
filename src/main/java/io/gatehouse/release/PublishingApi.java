package io.gatehouse.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.release.ReleaseService.Outcome;
import io.gatehouse.release.ReleaseService.PublishBody;
import io.gatehouse.release.ReleaseService.ReleaseDetail;
import io.gatehouse.release.ReleaseService.ReleaseView;
import io.gatehouse.release.ReleaseService.RollbackBody;
import io.gatehouse.release.ReleaseService.StageStatus;
import io.gatehouse.release.VersionService.VersionBody;
import io.gatehouse.release.VersionService.VersionDiff;
import io.gatehouse.release.VersionService.VersionView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Versions, releases, rollback and what is unpublished, under one gateway. */
@Path("/api/v1/gateways")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PublishingApi {
    private final VersionService versions;
    private final ReleaseService releases;

    public PublishingApi(VersionService versions, ReleaseService releases) {
        this.versions = versions;
        this.releases = releases;
    }

    @POST
    @Path("/{gw}/versions")
    public Response createVersion(String gw, VersionBody body) {
        return Response.status(201).entity(versions.create(gw, body)).build();
    }

    @GET
    @Path("/{gw}/versions")
    public List<VersionView> versions(String gw) {
        return versions.list(gw);
    }

    @GET
    @Path("/{gw}/versions/{number}")
    public JsonNode version(String gw, int number) {
        return versions.resourcesOf(gw, number);
    }

    @GET
    @Path("/{gw}/versions/{a}/diff/{b}")
    public VersionDiff diff(String gw, String a, String b) {
        return versions.diff(gw, a, b);
    }

    @POST
    @Path("/{gw}/stages/{stage}/releases")
    public Response publish(String gw, String stage, PublishBody body) {
        return created(gw, releases.publish(gw, stage, body));
    }

    @GET
    @Path("/{gw}/stages/{stage}/releases")
    public List<ReleaseView> history(String gw, String stage) {
        return releases.history(gw, stage);
    }

    @GET
    @Path("/{gw}/stages/{stage}/releases/{number}")
    public ReleaseDetail release(String gw, String stage, int number) {
        return releases.detail(gw, stage, number);
    }

    /** Release {@code a} against release {@code b} of the stage; either may be {@code draft}. */
    @GET
    @Path("/{gw}/stages/{stage}/releases/{a}/diff/{b}")
    public ReleaseDiff releaseDiff(String gw, String stage, String a, String b) {
        return releases.diff(gw, stage, a, b);
    }

    @POST
    @Path("/{gw}/stages/{stage}/rollback")
    public Response rollback(String gw, String stage, RollbackBody body) {
        return created(gw, releases.rollback(gw, stage, body));
    }

    /**
     * 201 with the release (its transaction committed, so its live status is read after the instances had a
     * moment to apply it), or 202 with the release request on a stage that requires approval.
     */
    private Response created(String gw, Outcome outcome) {
        return outcome.release() != null ? Response.status(201).entity(releases.settled(gw, outcome.release())).build()
                : Response.status(202).entity(outcome.request()).build();
    }

    @GET
    @Path("/{gw}/unpublished")
    public List<StageStatus> unpublished(String gw) {
        return releases.unpublished(gw);
    }
}
