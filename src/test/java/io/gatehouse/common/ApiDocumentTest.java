package io.gatehouse.common;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class ApiDocumentTest {

    @Test
    void theOpenApiDocumentDescribesTheAdminApiOnly() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("Gatehouse admin API"))
                .body("paths.keySet()", everyItem(startsWith("/api/")))
                .body("paths.keySet()", hasItems("/api/v1/teams", "/api/v1/gateways/{gw}/stages/{stage}",
                        "/api/v1/gateways/{gw}/stages/{stage}/releases", "/api/v1/gateways/{gw}/import"))
                .body("components.securitySchemes.basic.scheme", equalTo("basic"))
                .body("components.securitySchemes.token.scheme", equalTo("bearer"))
                .body("paths.'/api/v1/gateways/{gw}/stages/{stage}'.put", notNullValue());
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
