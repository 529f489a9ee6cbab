package ipc.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict little JSON parser, enough for the tool's own reports (read back by {@link Compare}) and the tests: objects,
 * arrays, strings, numbers, booleans, null. Objects keep their keys' order.
 */
final class MiniJson
{
    private final String text;
    private int at;

    MiniJson(final String text)
    {
        this.text = text;
    }

    Object parse()
    {
        final Object value = value();
        skipSpace();
        if (at != text.length())
        {
            throw error("trailing characters");
        }
        return value;
    }

    private Object value()
    {
        skipSpace();
        if (at >= text.length())
        {
            throw error("unexpected end");
        }
        final char c = text.charAt(at);
        switch (c)
        {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            default:
                if (text.startsWith("true", at))
                {
                    at += 4;
                    return Boolean.TRUE;
                }
                if (text.startsWith("false", at))
                {
                    at += 5;
                    return Boolean.FALSE;
                }
                if (text.startsWith("null", at))
                {
                    at += 4;
                    return null;
                }
                return number();
        }
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        at++;
        skipSpace();
        if (peek() == '}')
        {
            at++;
            return map;
        }
        while (true)
        {
            skipSpace();
            final String key = string();
            skipSpace();
            expect(':');
            map.put(key, value());
            skipSpace();
            if (peek() == ',')
            {
                at++;
                continue;
            }
            expect('}');
            return map;
        }
    }

    private List<Object> array()
    {
        final List<Object> list = new ArrayList<>();
        at++;
        skipSpace();
        if (peek() == ']')
        {
            at++;
            return list;
        }
        while (true)
        {
            list.add(value());
            skipSpace();
            if (peek() == ',')
            {
                at++;
                continue;
            }
            expect(']');
            return list;
        }
    }

    private String string()
    {
        expect('"');
        final StringBuilder s = new StringBuilder();
        while (peek() != '"')
        {
            char c = text.charAt(at++);
            if (c == '\\')
            {
                c = text.charAt(at++);
                if (c == 'u')
                {
                    c = (char)Integer.parseInt(text.substring(at, at + 4), 16);
                    at += 4;
                }
                else if (c == 'n')
                {
                    c = '\n';
                }
            }
            else if (c < 0x20)
            {
                throw error("control character in string");
            }
            s.append(c);
        }
        at++;
        return s.toString();
    }

    private Number number()
    {
        final int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0)
        {
            at++;
        }
        final String n = text.substring(start, at);
        if (n.isEmpty())
        {
            throw error("unexpected character");
        }
        return n.matches("-?\\d+") ? (Number)Long.parseLong(n) : (Number)Double.parseDouble(n);
    }

    private char peek()
    {
        if (at >= text.length())
        {
            throw error("unexpected end");
        }
        return text.charAt(at);
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("expected " + c);
        }
        at++;
    }

    private void skipSpace()
    {
        while (at < text.length() && Character.isWhitespace(text.charAt(at)))
        {
            at++;
        }
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException(what + " at " + at + ": " +
            text.substring(Math.max(0, at - 20), Math.min(text.length(), at + 20)));
    }
}
