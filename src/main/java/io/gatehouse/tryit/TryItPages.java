package io.gatehouse.tryit;

import io.gatehouse.common.FieldError;
import io.gatehouse.common.ValidationException;
import io.gatehouse.console.FormErrors;
import io.gatehouse.console.FormInput;
import io.gatehouse.tryit.TryIt.TryRequest;
import io.gatehouse.tryit.TryIt.TryResult;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.List;

/**
 * "Try it" from the resource page (htmx): the same {@link TryIt} as the admin API; the result, or the
 * field errors, replace the result panel. Errors come back as 200 so htmx swaps them in.
 */
@Path("/gateways/{gw}/resources/{resource}/try")
@Produces(MediaType.TEXT_HTML)
public class TryItPages {

    @CheckedTemplate(basePath = "tryit")
    static class Templates {
        static native TemplateInstance result(TryResult result, FormErrors errors);
    }

    private final TryIt tryIt;

    public TryItPages(TryIt tryIt) {
        this.tryIt = tryIt;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance run(String gw, String resource, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        Integer count = null;
        if (in.get("count") != null) {
            try {
                count = Integer.valueOf(in.get("count"));
            } catch (NumberFormatException e) {
                return Templates.result(null, FormErrors.of(List.of(new FieldError("count",
                        "must be an integer from 1 to " + TryIt.MAX_COUNT))));
            }
        }
        if (in.get("stage") == null) {
            return Templates.result(null, FormErrors.of(List.of(new FieldError("stage", "choose a stage"))));
        }
        try {
            return Templates.result(tryIt.run(gw, in.get("stage"), resource,
                    new TryRequest(count, in.get("tenant"), in.get("path"), in.get("api_key"), in.get("token"))),
                    FormErrors.NONE);
        } catch (ValidationException e) {
            return Templates.result(null, FormErrors.of(e.errors()));
        }
    }
}
