package io.gatehouse.resource;

import io.gatehouse.resource.PathTemplate.Literal;
import io.gatehouse.resource.PathTemplate.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PathTemplateTest {

    @Test
    void parsesLiteralsAndParameters() {
        PathTemplate t = PathTemplate.parse("/users/{id}/orders/{order_id}");
        assertEquals(List.of(new Literal("users"), new Param("id"), new Literal("orders"), new Param("order_id")),
                t.segments());
        assertEquals(List.of("id", "order_id"), t.paramNames());
        assertEquals("/users/{}/orders/{}", t.shape());
        assertEquals("/", PathTemplate.parse("/").shape());
        assertNull(PathTemplate.problem("/v1/files/a.json;v=1/%20x/~me@host:1"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''|is required",
            "users|must start with /",
            "/users?id=1|must not contain a query or fragment",
            "/users/|must not end with /",
            "/users//x|must not contain empty segments (//)",
            "/a/../b|must not contain . or .. segments",
            "/a/./b|must not contain . or .. segments",
            "/users/{id}/x/{id}|parameter {id} appears twice",
            "/users/{1id}|parameter {1id} must be a name: letters, digits and underscores, not starting with a digit",
            "/users/{}|parameter {} must be a name: letters, digits and underscores, not starting with a digit",
            "/files/{name}.json|a parameter must be a whole segment, like /users/{id}",
            "/a b|segment 'a b' contains characters not allowed in a URL path",
            "/100%|segment '100%' contains characters not allowed in a URL path",
    })
    void rejectsWithAReason(String raw, String reason) {
        assertEquals(reason, PathTemplate.problem(raw));
    }

    @Test
    void lengthIsBounded() {
        assertEquals("must be at most 1024 characters", PathTemplate.problem("/" + "a".repeat(1024)));
        assertNull(PathTemplate.problem("/" + "a".repeat(1023)));
    }
}
