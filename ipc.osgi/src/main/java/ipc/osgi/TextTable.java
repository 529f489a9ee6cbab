package ipc.osgi;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the shell: a header row, columns padded to their widest cell and two spaces apart,
 * numbers right-aligned, everything else left-aligned.
 */
final class TextTable
{
    private final String[] headers;
    private final List<Object[]> rows = new ArrayList<>();

    TextTable(final String... headers)
    {
        this.headers = headers.clone();
    }

    TextTable row(final Object... cells)
    {
        if (cells.length != headers.length)
        {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.length +
                " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    boolean isEmpty()
    {
        return rows.isEmpty();
    }

    @Override
    public String toString()
    {
        final int[] widths = new int[headers.length];
        final boolean[] numeric = new boolean[headers.length];
        for (int column = 0; column < headers.length; column++)
        {
            widths[column] = headers[column].length();
            numeric[column] = !rows.isEmpty();
            for (final Object[] row : rows)
            {
                widths[column] = Math.max(widths[column], String.valueOf(row[column]).length());
                numeric[column] &= row[column] instanceof Number;
            }
        }
        final StringBuilder text = new StringBuilder();
        append(text, headers, widths, numeric);
        for (final Object[] row : rows)
        {
            append(text, row, widths, numeric);
        }
        return text.toString();
    }

    private static void append(final StringBuilder text, final Object[] cells, final int[] widths,
        final boolean[] numeric)
    {
        final StringBuilder line = new StringBuilder();
        for (int column = 0; column < cells.length; column++)
        {
            final String cell = String.valueOf(cells[column]);
            final String padding = " ".repeat(widths[column] - cell.length());
            if (column > 0)
            {
                line.append("  ");
            }
            line.append(numeric[column] ? padding + cell : cell + padding);
        }
        text.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
}
