package io.gatehouse.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff for golden-file failures: the longest common subsequence of lines (O(n·m), fine for files
 * of a few hundred lines), printed as {@code "- "} removed, {@code "+ "} added and {@code "  "} context, two
 * lines of context around each change, {@code @@ line N} (of the expected text) at each hunk.
 */
final class LineDiff {

    private static final int CONTEXT = 2;

    private LineDiff() {
    }

    static String diff(String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        record Line(char op, String text, int at) {
        }
        List<Line> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                lines.add(new Line(' ', a[i], i++));
                j++;
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                lines.add(new Line('-', a[i], i++));
            } else {
                lines.add(new Line('+', b[j++], i));
            }
        }
        boolean[] show = new boolean[lines.size()];
        for (int k = 0; k < lines.size(); k++) {
            if (lines.get(k).op() != ' ') {
                for (int c = Math.max(0, k - CONTEXT); c <= Math.min(lines.size() - 1, k + CONTEXT); c++) {
                    show[c] = true;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        boolean inHunk = false;
        for (int k = 0; k < lines.size(); k++) {
            if (!show[k]) {
                inHunk = false;
                continue;
            }
            Line l = lines.get(k);
            if (!inHunk) {
                out.append("@@ line ").append(l.at() + 1).append('\n');
                inHunk = true;
            }
            // The texts end with "\n", so both end in an empty last line: not worth showing.
            if (k == lines.size() - 1 && l.op() == ' ' && l.text().isEmpty()) {
                continue;
            }
            out.append(l.op()).append(' ').append(l.text()).append('\n');
        }
        return out.toString();
    }
}
