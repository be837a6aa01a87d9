package dev.bp4j.benchmarks;

/**
 * Parses layer widths written as on the command line, {@code 784,256,256,10}, or with dashes,
 * {@code 784-256-256-10}: JMH splits a {@code -p} value at commas, so on its command line only
 * the dashed form names one parameter value.
 */
final class LayerWidths {

    private LayerWidths() {
    }

    /**
     * @param source names where the text came from in the error, e.g. the parameter name
     * @throws IllegalArgumentException naming the source, the position and what was expected
     */
    static int[] parse(String source, String text) {
        String[] parts = text.split(text.contains(",") ? "," : "-", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException(source + ": expected at least two layer widths separated by commas or dashes, such as 784,256,10, got '"
                    + text + "'");
        }
        int[] widths = new int[parts.length];
        int position = 1;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            try {
                widths[i] = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                widths[i] = 0;
            }
            if (widths[i] < 1) {
                throw new IllegalArgumentException(source + ": character " + position + " of '" + text
                        + "': expected a positive layer width, got '" + part + "'");
            }
            position += parts[i].length() + 1;
        }
        return widths;
    }
}
