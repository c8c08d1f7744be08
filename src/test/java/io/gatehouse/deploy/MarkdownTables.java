package io.gatehouse.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the rows of the Markdown tables in a document whose first cell is a `code` name. */
final class MarkdownTables {
    private MarkdownTables() {
    }

    /** First cell (without backticks) to all cells, for every table row that starts with a `code` cell. */
    static Map<String, List<String>> rows(Path doc) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(doc)) {
                String t = line.strip();
                if (!t.startsWith("| `")) {
                    continue;
                }
                List<String> cells = new ArrayList<>(Arrays.stream(t.substring(1, t.length() - 1).split("(?<!\\\\)\\|"))
                        .map(String::strip).toList());
                String key = cells.get(0).replace("`", "");
                if (rows.put(key, cells) != null) {
                    throw new AssertionError(doc + " documents " + key + " twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** A cell as plain text: backticks removed. */
    static String text(String cell) {
        return cell.replace("`", "").strip();
    }
}
