package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// scanBufSize is the read buffer of the JSON scanner. It is also how far
// ahead DecodeJSON looks for the end of the first line when it decides
// between NDJSON and a stream of pretty-printed values.
const scanBufSize = 256 << 10

// errTruncated is a value cut off by the end of the input.
var errTruncated = errors.New("unexpected end of input inside a JSON value")

// capture collects the raw bytes of one record, up to MaxRecordSize.
type capture struct {
	buf  []byte
	over bool // the record grew past MaxRecordSize; buf was dropped
}

func (c *capture) reset() { c.buf = c.buf[:0]; c.over = false }

func (c *capture) add(b []byte) {
	if c.over || len(b) == 0 {
		return
	}
	if len(c.buf)+len(b) > MaxRecordSize {
		c.over = true
		c.buf = c.buf[:0]
		return
	}
	c.buf = append(c.buf, b...)
}

// jsonScanner walks JSON text byte by byte without decoding it: it finds
// where values start and end, counts lines, and copies the bytes of the
// value being captured. It never recurses, so nesting depth costs nothing.
type jsonScanner struct {
	r    io.Reader
	buf  []byte
	pos  int   // next unread byte
	end  int   // end of valid data in buf
	err  error // sticky read error; io.EOF at the end
	line int   // 1-based line of buf[pos]
	c    *capture
}

func newJSONScanner(r io.Reader) *jsonScanner {
	return &jsonScanner{r: r, buf: make([]byte, scanBufSize), line: 1}
}

// newJSONScannerBytes scans b in place; every byte is on line line.
func newJSONScannerBytes(b []byte, line int) *jsonScanner {
	return &jsonScanner{buf: b, end: len(b), err: io.EOF, line: line}
}

// fill makes at least one unread byte available. It reports false at the
// end of input or on a read error (see readErr).
func (s *jsonScanner) fill() bool {
	if s.pos < s.end {
		return true
	}
	if s.err != nil {
		return false
	}
	s.pos, s.end = 0, 0
	for range 100 {
		n, err := s.r.Read(s.buf)
		s.end = n
		if err != nil {
			s.err = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// readErr is the read error that stopped the scanner, nil at a clean end.
func (s *jsonScanner) readErr() error {
	if s.err == nil || errors.Is(s.err, io.EOF) {
		return nil
	}
	return s.err
}

// keep hands consumed bytes to the active capture.
func (s *jsonScanner) keep(b []byte) {
	if s.c != nil {
		s.c.add(b)
	}
}

// skipBOM drops a leading UTF-8 byte-order mark.
func (s *jsonScanner) skipBOM() {
	for s.end-s.pos < 3 && s.more() {
	}
	if bytes.HasPrefix(s.buf[s.pos:s.end], []byte{0xEF, 0xBB, 0xBF}) {
		s.pos += 3
	}
}

// peekLine returns the unread bytes up to (not including) the next newline
// without consuming them. complete is false when no newline or end of input
// was found within the buffer.
func (s *jsonScanner) peekLine() (line []byte, complete bool) {
	for {
		if i := bytes.IndexByte(s.buf[s.pos:s.end], '\n'); i >= 0 {
			return s.buf[s.pos : s.pos+i], true
		}
		if s.err != nil {
			return s.buf[s.pos:s.end], true
		}
		if !s.more() {
			return s.buf[s.pos:s.end], s.err != nil
		}
	}
}

// peekLines returns up to n lines from the read position without consuming
// them: fewer at the end of input or when the buffer is full. The last may
// be incomplete at the end of input.
func (s *jsonScanner) peekLines(n int) [][]byte {
	for {
		var lines [][]byte
		rest := s.buf[s.pos:s.end]
		for len(lines) < n {
			i := bytes.IndexByte(rest, '\n')
			if i < 0 {
				break
			}
			lines = append(lines, rest[:i])
			rest = rest[i+1:]
		}
		if len(lines) == n || !s.more() {
			if len(lines) < n && len(rest) > 0 && s.err != nil {
				lines = append(lines, rest)
			}
			return lines
		}
	}
}

// more moves the unread bytes to the front of the buffer and reads once
// into the free tail. It reports false when nothing more can be buffered:
// end of input, a read error, or a full buffer.
func (s *jsonScanner) more() bool {
	if s.err != nil || s.r == nil {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		return false
	}
	for range 100 {
		m, err := s.r.Read(s.buf[s.end:])
		s.end += m
		if err != nil {
			s.err = err
		}
		if m > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// skipSpace consumes whitespace and returns the next byte, unconsumed.
// ok is false at the end of input.
func (s *jsonScanner) skipSpace() (c byte, ok bool) {
	for s.fill() {
		chunk := s.buf[s.pos:s.end]
		for i, b := range chunk {
			switch b {
			case '\n':
				s.line++
			case ' ', '\t', '\r':
			default:
				s.keep(chunk[:i])
				s.pos += i
				return b, true
			}
		}
		s.keep(chunk)
		s.pos = s.end
	}
	return 0, false
}

// advance consumes one byte already seen through skipSpace.
func (s *jsonScanner) advance() {
	s.keep(s.buf[s.pos : s.pos+1])
	s.pos++
}

// value consumes one JSON value starting at the next byte (whitespace
// already skipped). It checks only what framing needs: brackets balance,
// strings end on their line. Everything else is left to the record parser.
func (s *jsonScanner) value() error {
	if !s.fill() {
		return s.truncated()
	}
	switch c := s.buf[s.pos]; c {
	case '{', '[':
		return s.composite()
	case '"':
		s.advance()
		return s.stringRest(nil)
	case '}', ']', ',', ':':
		return fmt.Errorf("unexpected %q where a JSON value should start", c)
	default:
		return s.scalar()
	}
}

func (s *jsonScanner) truncated() error {
	if err := s.readErr(); err != nil {
		return err
	}
	return errTruncated
}

// composite consumes an object or array, counting brackets.
func (s *jsonScanner) composite() error {
	depth := 0
	inString, escaped := false, false
	for s.fill() {
		chunk := s.buf[s.pos:s.end]
		for i := 0; i < len(chunk); i++ {
			b := chunk[i]
			if inString {
				switch {
				case escaped:
					escaped = false
				case b == '\\':
					escaped = true
				case b == '"':
					inString = false
				case b == '\n':
					s.keep(chunk[:i])
					s.pos += i
					return errors.New("newline inside a JSON string")
				default:
					// Jump to the next byte that can end or escape the string.
					if j := indexStringSpecial(chunk[i+1:]); j >= 0 {
						i += j
					} else {
						i = len(chunk) - 1
					}
				}
				continue
			}
			switch b {
			case '"':
				inString = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.keep(chunk[:i+1])
					s.pos += i + 1
					return nil
				}
			case '\n':
				s.line++
			}
		}
		s.keep(chunk)
		s.pos = s.end
	}
	return s.truncated()
}

// indexStringSpecial finds the next quote, backslash or newline.
func indexStringSpecial(b []byte) int {
	for i, c := range b {
		if c == '"' || c == '\\' || c == '\n' {
			return i
		}
	}
	return -1
}

// stringRest consumes the rest of a string after its opening quote. When
// text is not nil, the string's raw content (capped at 1 KiB) is appended
// to it.
func (s *jsonScanner) stringRest(text *[]byte) error {
	escaped := false
	for s.fill() {
		chunk := s.buf[s.pos:s.end]
		for i, b := range chunk {
			switch {
			case escaped:
				escaped = false
			case b == '\\':
				escaped = true
			case b == '"':
				if text != nil {
					*text = appendCapped(*text, chunk[:i], 1<<10)
				}
				s.keep(chunk[:i+1])
				s.pos += i + 1
				return nil
			case b == '\n':
				s.keep(chunk[:i])
				s.pos += i
				return errors.New("newline inside a JSON string")
			}
		}
		if text != nil {
			*text = appendCapped(*text, chunk, 1<<10)
		}
		s.keep(chunk)
		s.pos = s.end
	}
	return s.truncated()
}

func appendCapped(dst, b []byte, limit int) []byte {
	if room := limit - len(dst); room < len(b) {
		b = b[:max(room, 0)]
	}
	return append(dst, b...)
}

// scalar consumes a number or literal: everything up to a delimiter.
func (s *jsonScanner) scalar() error {
	for s.fill() {
		chunk := s.buf[s.pos:s.end]
		for i, b := range chunk {
			switch b {
			case ' ', '\t', '\r', '\n', ',', ']', '}', ':', '[', '{', '"':
				s.keep(chunk[:i])
				s.pos += i
				return nil
			}
		}
		s.keep(chunk)
		s.pos = s.end
	}
	return nil // a scalar may end the input
}
