package resume

import (
	"math/rand/v2"
	"strings"
)

// synth makes synthetic résumés for tests and benchmarks: a shared résumé
// builder skeleton (headings and stock phrases every document carries)
// around a body of sentences drawn from a large vocabulary, so that
// unrelated documents share the boilerplate and almost nothing else.
type synth struct {
	r     *rand.Rand
	vocab []string
}

func newSynth(seed uint64) *synth {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	syl := []string{"ka", "lo", "mi", "ser", "vin", "dra", "po", "lu", "ten", "gar", "bi", "shen", "to", "ral", "quo", "fe", "nix", "dam", "or", "el"}
	vocab := make([]string, 0, 20000)
	seen := map[string]bool{}
	for len(vocab) < 20000 {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	return &synth{r: r, vocab: vocab}
}

// boilerplate is what a résumé builder puts in every document.
var boilerplate = []string{
	"PROFESSIONAL SUMMARY",
	"Results-driven software engineer with a passion for building scalable, reliable and secure systems that delight users.",
	"WORK EXPERIENCE",
	"EDUCATION",
	"SKILLS",
	"References available upon request.",
}

// resume returns one résumé with a body of about words words.
func (s *synth) resume(words int) string {
	var b strings.Builder
	b.WriteString(s.name())
	b.WriteString("\n")
	for i, head := range boilerplate {
		b.WriteString(head)
		b.WriteString("\n")
		if i == 1 || i == 2 || i == 4 {
			for n := 0; n < words/3; {
				l := 8 + s.r.IntN(10)
				for j := range l {
					if j > 0 {
						b.WriteByte(' ')
					}
					b.WriteString(s.vocab[s.r.IntN(len(s.vocab))])
				}
				b.WriteString(".\n")
				n += l
			}
		}
	}
	return b.String()
}

func (s *synth) name() string {
	return strings.ToUpper(s.vocab[s.r.IntN(len(s.vocab))][:1]) + s.vocab[s.r.IntN(len(s.vocab))] + " " + s.vocab[s.r.IntN(len(s.vocab))]
}

// mutate returns text with the name line replaced and about share of the
// body's words replaced: a persona made from a template.
func (s *synth) mutate(text string, share float64) string {
	lines := strings.Split(text, "\n")
	lines[0] = s.name()
	for i := 1; i < len(lines); i++ {
		ws := strings.Fields(lines[i])
		for j := range ws {
			if s.r.Float64() < share {
				ws[j] = s.vocab[s.r.IntN(len(s.vocab))]
			}
		}
		lines[i] = strings.Join(ws, " ")
	}
	return strings.Join(lines, "\n")
}
