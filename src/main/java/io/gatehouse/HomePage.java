package io.gatehouse;

import io.gatehouse.gateway.Gateway;
import io.gatehouse.team.Team;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Placeholder home page of the console. */
@Path("/")
public class HomePage {

    @CheckedTemplate(basePath = "")
    static class Templates {
        static native TemplateInstance home(long gateways, long teams);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public TemplateInstance home() {
        return Templates.home(Gateway.count(), Team.count());
    }
}
