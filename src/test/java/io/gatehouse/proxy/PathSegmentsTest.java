package io.gatehouse.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How request paths are split into segments, and the rule on what segments may hold, case by case (the
 * proxy-level behaviour is in EncodedTraversalTest).
 */
class PathSegmentsTest {

    private static int check(String pathAfterStage) {
        return PathSegments.check(pathAfterStage.split("/", -1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"users/..", "users/.", "..", ".", "a/../b", "users/%2e%2e", "users/%2E%2E", "users/.%2e",
            "users/%2E.", "users/%2e", "users/%2E", "users/..%2f..%2fadmin", "users/..%2F..%2Fadmin", "users/a%2F..%2Fb",
            "users/a%5c..%5cb", "users/%2e%2e%5Cadmin", "users/x%2F.", "users/%2F..", "users/..%2F", "files/a/%2e%2e/b"})
    void dotSegmentsPlainEncodedOrBetweenEncodedSeparatorsAreRefused(String path) {
        assertEquals(PathSegments.DOT_SEGMENT, check(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"users/a%2Fb", "users/a%2fb", "users/a%5Cb", "users/a%5cb", "users/%2F", "users/%5C",
            "files/x/y%2Fz", "users/%2F%2F", "users/a%2Fb.json"})
    void encodedSlashesAndBackslashesAreFlagged(String path) {
        assertEquals(PathSegments.ENCODED_SLASH, check(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"users/1", "users/...", "users/.well-known", "users/a.b", "users/..a", "users/%2e%2e%2e",
            "users/a%20b", "users/%252F", "users/%2", "users/%", "users/%2G", "users/%5", "users/caf%C3%A9", "",
            "users/", "users//x", "users/%2ex", "users/x%2e"})
    void everythingElseIsSafe(String path) {
        assertEquals(PathSegments.SAFE, check(path), path);
    }

    /** The one splitter the proxy and "Try it" use: from the slash that starts the resource path, kept encoded. */
    @Test
    void splitsTheResourcePathAfterItsSlash() {
        assertArrayEquals(new String[0], PathSegments.split("/shop/prod", -1));
        assertArrayEquals(new String[0], PathSegments.split("/shop/prod/", 10));
        assertArrayEquals(new String[0], PathSegments.split("/", 0));
        assertArrayEquals(new String[]{"users", "7"}, PathSegments.split("/shop/prod/users/7", 10));
        assertArrayEquals(new String[]{"a", "", "b%2F", ""}, PathSegments.split("/a//b%2F/", 0));
    }
}
