package io.gatehouse.release;

import io.gatehouse.release.ApprovalService.DecisionBody;
import io.gatehouse.release.ApprovalService.RequestDetail;
import io.gatehouse.release.ApprovalService.RequestView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Release requests of stages that require approval: list, read, approve, reject, withdraw. */
@Path("/api/v1/gateways")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApprovalApi {
    private final ApprovalService approvals;
    private final ReleaseService releases;

    public ApprovalApi(ApprovalService approvals, ReleaseService releases) {
        this.approvals = approvals;
        this.releases = releases;
    }

    @GET
    @Path("/{gw}/stages/{stage}/release-requests")
    public List<RequestView> list(String gw, String stage) {
        return approvals.list(gw, stage);
    }

    @GET
    @Path("/{gw}/stages/{stage}/release-requests/{number}")
    public RequestDetail detail(String gw, String stage, int number) {
        return approvals.detail(gw, stage, number);
    }

    @POST
    @Path("/{gw}/stages/{stage}/release-requests/{number}/approve")
    public Response approve(String gw, String stage, int number, DecisionBody body) {
        // approve() has committed when it returns: the release's live status is read after the instances applied it.
        return Response.status(201).entity(releases.settled(gw, approvals.approve(gw, stage, number, body))).build();
    }

    @POST
    @Path("/{gw}/stages/{stage}/release-requests/{number}/reject")
    public RequestView reject(String gw, String stage, int number, DecisionBody body) {
        return approvals.reject(gw, stage, number, body);
    }

    @POST
    @Path("/{gw}/stages/{stage}/release-requests/{number}/withdraw")
    public RequestView withdraw(String gw, String stage, int number, DecisionBody body) {
        return approvals.withdraw(gw, stage, number, body);
    }
}
