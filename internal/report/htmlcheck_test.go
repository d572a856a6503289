package report

import (
	"fmt"
	"strings"
)

// The module has no HTML parser (golang.org/x/net/html is not a
// dependency), so the HTML tests use this small tag scanner. It is strict
// where the report can be: every '<' must open a well-formed tag or
// comment, every non-void element must be closed in order, and attribute
// values must be quoted.

type htmlTag struct {
	name  string
	close bool
	attrs map[string]string
}

// voidElements never take a closing tag.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
}

// scanHTML returns the tags of doc in order, or an error saying where doc
// is not well formed.
func scanHTML(doc string) ([]htmlTag, error) {
	var tags []htmlTag
	var stack []string
	i := 0
	for {
		j := strings.IndexByte(doc[i:], '<')
		if j < 0 {
			break
		}
		i += j
		switch {
		case strings.HasPrefix(doc[i:], "<!--"):
			k := strings.Index(doc[i:], "-->")
			if k < 0 {
				return nil, fmt.Errorf("offset %d: unterminated comment", i)
			}
			i += k + 3
			continue
		case strings.HasPrefix(doc[i:], "<!DOCTYPE html>"):
			i += len("<!DOCTYPE html>")
			continue
		}
		tag, n, err := scanTag(doc[i:])
		if err != nil {
			return nil, fmt.Errorf("offset %d (%.40q): %w", i, doc[i:], err)
		}
		i += n
		tags = append(tags, tag)
		switch {
		case tag.close:
			if len(stack) == 0 || stack[len(stack)-1] != tag.name {
				return nil, fmt.Errorf("offset %d: </%s> closes %v", i, tag.name, stack)
			}
			stack = stack[:len(stack)-1]
		case voidElements[tag.name] || strings.HasSuffix(doc[i-n:i], "/>"):
		case tag.name == "style" || tag.name == "title":
			// Raw text up to the end tag.
			end := strings.Index(doc[i:], "</"+tag.name+">")
			if end < 0 {
				return nil, fmt.Errorf("offset %d: <%s> not closed", i, tag.name)
			}
			if strings.Contains(doc[i:i+end], "<") && tag.name == "title" {
				return nil, fmt.Errorf("offset %d: markup in <title>", i)
			}
			i += end + len("</"+tag.name+">")
		default:
			stack = append(stack, tag.name)
		}
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("unclosed elements %v", stack)
	}
	return tags, nil
}

// scanTag reads one tag at the start of s and returns it and its length.
func scanTag(s string) (htmlTag, int, error) {
	t := htmlTag{attrs: map[string]string{}}
	i := 1
	if i < len(s) && s[i] == '/' {
		t.close = true
		i++
	}
	start := i
	for i < len(s) && isTagNameChar(s[i]) {
		i++
	}
	if i == start {
		return t, 0, fmt.Errorf("'<' that does not start a tag")
	}
	t.name = strings.ToLower(s[start:i])
	for {
		for i < len(s) && strings.IndexByte(" \t\n\r\f", s[i]) >= 0 {
			i++
		}
		if i >= len(s) {
			return t, 0, fmt.Errorf("unterminated tag")
		}
		if s[i] == '>' {
			return t, i + 1, nil
		}
		if strings.HasPrefix(s[i:], "/>") {
			return t, i + 2, nil
		}
		if t.close {
			return t, 0, fmt.Errorf("attributes on a closing tag")
		}
		start := i
		for i < len(s) && !strings.ContainsRune(" \t\n\r\f/>=\"'<", rune(s[i])) {
			i++
		}
		if i == start {
			return t, 0, fmt.Errorf("bad attribute name at %q", s[i])
		}
		name := strings.ToLower(s[start:i])
		if i >= len(s) || s[i] != '=' {
			t.attrs[name] = ""
			continue
		}
		i++
		if i >= len(s) || s[i] != '"' {
			return t, 0, fmt.Errorf("attribute %s not double-quoted", name)
		}
		end := strings.IndexByte(s[i+1:], '"')
		if end < 0 {
			return t, 0, fmt.Errorf("attribute %s: unterminated value", name)
		}
		val := s[i+1 : i+1+end]
		if strings.ContainsAny(val, "<>") {
			return t, 0, fmt.Errorf("attribute %s: unescaped markup in value %q", name, val)
		}
		if _, dup := t.attrs[name]; dup {
			return t, 0, fmt.Errorf("duplicate attribute %s", name)
		}
		t.attrs[name] = val
		i += end + 2
	}
}

func isTagNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
