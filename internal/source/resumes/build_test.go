package resumes

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// buildPDF writes a minimal, valid PDF 1.4 with one page per element of
// pages (each a list of lines in Helvetica, WinAnsiEncoding) and, when
// modDate is set, an Info dictionary with that ModDate. Tests use it to
// make documents without binary fixtures they cannot read.
func buildPDF(pages [][]string, modDate string) []byte {
	var objs []string
	// 1: catalog, 2: pages, 3: font, then page/content pairs, then info.
	nPages := len(pages)
	kids := make([]string, nPages)
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	objs = append(objs,
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), nPages),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	)
	for i, lines := range pages {
		var cs strings.Builder
		cs.WriteString("BT\n/F1 11 Tf\n72 740 Td\n")
		for j, l := range lines {
			if j > 0 {
				cs.WriteString("0 -14 Td\n")
			}
			enc, err := charmap.Windows1252.NewEncoder().String(l)
			if err != nil {
				panic(err)
			}
			fmt.Fprintf(&cs, "(%s) Tj\n", pdfEscape(enc))
		}
		cs.WriteString("ET\n")
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i),
			fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", cs.Len(), cs.String()),
		)
	}
	infoRef := ""
	if modDate != "" {
		objs = append(objs, fmt.Sprintf("<< /Producer (rollcall test) /ModDate (%s) >>", modDate))
		infoRef = fmt.Sprintf(" /Info %d 0 R", len(objs))
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, infoRef, xref)
	return b.Bytes()
}

func pdfEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	return r.Replace(s)
}

// buildDOCX writes a minimal Word package with one paragraph per element
// of paras (a paragraph may hold "\t" for a w:tab) and, when modified is
// set, docProps/core.xml with dcterms:modified.
func buildDOCX(paras []string, modified string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	add := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			panic(err)
		}
		w.Write([]byte(body))
	}
	add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
		`<Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>`+
		`</Types>`)
	add("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>`+
		`</Relationships>`)
	var body strings.Builder
	body.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paras {
		body.WriteString("<w:p>")
		for i, part := range strings.Split(p, "\t") {
			if i > 0 {
				body.WriteString("<w:r><w:tab/></w:r>")
			}
			// Split a run in two, as Word does around formatting changes.
			h := len(part) / 2
			for h > 0 && h < len(part) && part[h]&0xc0 == 0x80 {
				h++
			}
			fmt.Fprintf(&body, `<w:r><w:t xml:space="preserve">%s</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>%s</w:t></w:r>`,
				xmlEscape(part[:h]), xmlEscape(part[h:]))
		}
		body.WriteString("</w:p>")
	}
	body.WriteString(`<w:sectPr/></w:body></w:document>`)
	add("word/document.xml", body.String())
	if modified != "" {
		add("docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
			`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" `+
			`xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`+
			`<dcterms:created xsi:type="dcterms:W3CDTF">2019-01-01T00:00:00Z</dcterms:created>`+
			`<dcterms:modified xsi:type="dcterms:W3CDTF">`+modified+`</dcterms:modified></cp:coreProperties>`)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
