package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

// File is an opened input: content decompressed, with its head buffered for
// sniffing.
type File struct {
	Name string
	*bufio.Reader
	closers []io.Closer
}

// Close closes the decompressor and the file.
func (f *File) Close() error {
	var errs []error
	for i := len(f.closers) - 1; i >= 0; i-- {
		errs = append(errs, f.closers[i].Close())
	}
	return errors.Join(errs...)
}

// Head returns up to SniffSize leading bytes without consuming them.
func (f *File) Head() ([]byte, error) {
	b, err := f.Peek(SniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return b, fmt.Errorf("reading %q: %w", f.Name, err)
	}
	return b, nil
}

var gzipMagic = []byte{0x1f, 0x8b}

// Open opens path for decoding, undoing gzip compression when the content
// starts with the gzip magic number (whatever the file is called).
func Open(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening input: %w", err)
	}
	return wrap(path, fh, fh)
}

// OpenCounting is Open, telling read how many bytes of the file (as
// stored, before decompression) each read takes: progress on large inputs.
func OpenCounting(path string, read func(n int)) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening input: %w", err)
	}
	return wrap(path, countingReader{fh, read}, fh)
}

type countingReader struct {
	r    io.Reader
	read func(int)
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read(n)
	return n, err
}

// NewFile wraps an already open reader (an HTTP upload, a test buffer).
func NewFile(name string, r io.Reader) (*File, error) { return wrap(name, r, nil) }

func wrap(name string, r io.Reader, c io.Closer) (*File, error) {
	f := &File{Name: name}
	if c != nil {
		f.closers = append(f.closers, c)
	}
	br := bufio.NewReaderSize(r, SniffSize)
	magic, _ := br.Peek(2)
	if bytes.Equal(magic, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("opening %q: gzip: %w", name, err)
		}
		f.closers = append(f.closers, zr)
		br = bufio.NewReaderSize(zr, SniffSize)
	}
	f.Reader = br
	return f, nil
}
