package okta

import (
	"bytes"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/valyala/fastjson"

	"github.com/rollcall/rollcall/internal/geo"
	"github.com/rollcall/rollcall/internal/source"
)

// A LogEvent object (System Log API, GET /api/v1/logs) is read with
// fastjson, which parses a record into reusable memory without reflection:
// only the members rollcall keeps are looked at, and only the strings it
// keeps are copied (through the scan's Interner when they repeat). Keys are
// matched case-insensitively, which also covers exports that lower-case
// them (Panther's "eventtype", "securitycontext"); a key given twice takes
// its last value.
//
// Okta documents the types of these members, but exports do not always
// keep them. A member rollcall needs to place the event (eventType,
// published, actor, the client address, the AS number) of the wrong type
// rejects the record naming the member; any other member of an unexpected
// type is read as absent, so the record is kept.

// members reads the members of v named in names (matched ASCII
// case-insensitively) into out, by position. It reports whether v is an
// object.
func members(v *fastjson.Value, names []string, out []*fastjson.Value) bool {
	if v == nil || v.Type() != fastjson.TypeObject {
		return false
	}
	o, _ := v.Object()
	o.Visit(func(k []byte, val *fastjson.Value) {
		for i, n := range names {
			if keyIs(k, n) {
				out[i] = val
				return
			}
		}
	})
	return true
}

// keyIs reports whether k equals name, ignoring ASCII case.
func keyIs(k []byte, name string) bool {
	if len(k) != len(name) {
		return false
	}
	if string(k) == name {
		return true
	}
	for i := range k {
		a, b := k[i], name[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// strBytes returns a string member's text, nil when it is absent or not a
// string. The bytes are valid until the next record is parsed.
func strBytes(v *fastjson.Value) []byte {
	if v == nil || v.Type() != fastjson.TypeString {
		return nil
	}
	b, _ := v.StringBytes()
	return b
}

// scratch views b as a string for a call that does not keep it (time and
// address parsing). b must not change while the string is in use.
func scratch(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// validUTF8 replaces invalid UTF-8 as encoding/json does.
func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}

// reader reads one record's members into strings, interning those that
// repeat.
type reader struct {
	in        *source.Interner
	strs      source.StringArena // values that identify one record
	num       []byte             // scratch for number text
	countries map[string]string  // country name → ISO code, as geo.Alpha2 gives
}

// alpha2 is geo.Alpha2, remembered per name: a log names few countries,
// and the lookup normalises the name afresh (allocating) on every call.
func (r *reader) alpha2(name string) string {
	if name == "" {
		return geo.Alpha2(name)
	}
	if code, ok := r.countries[name]; ok {
		return code
	}
	if r.countries == nil || len(r.countries) > 4096 {
		r.countries = make(map[string]string)
	}
	code := geo.Alpha2(name)
	r.countries[name] = code
	return code
}

// str is a string member, interned; "" when absent or not a string.
func (r *reader) str(v *fastjson.Value) string {
	return r.in.Bytes(validUTF8(strBytes(v)))
}

// own is a string member that identifies one record (not interned).
func (r *reader) own(v *fastjson.Value) string {
	return r.strs.Bytes(validUTF8(strBytes(v)))
}

// loose is a member read as text whatever its scalar type: a string as
// itself, a number or boolean as written, anything else as "" (Okta's
// debugData is a debugging aid, not a data contract).
func (r *reader) loose(v *fastjson.Value) string {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case fastjson.TypeString:
		return r.str(v)
	case fastjson.TypeNumber, fastjson.TypeTrue, fastjson.TypeFalse:
		r.num = v.MarshalTo(r.num[:0])
		return r.in.Bytes(r.num)
	}
	return ""
}

// scratchText is a string member viewing the parser's memory, valid until
// the next record; "" when absent or not a string.
func scratchText(v *fastjson.Value) string { return scratch(strBytes(v)) }

// boolean reads an optional boolean; ok is false when absent or not a
// boolean.
func boolean(v *fastjson.Value) (val, ok bool) {
	if v == nil {
		return false, false
	}
	switch v.Type() {
	case fastjson.TypeTrue:
		return true, true
	case fastjson.TypeFalse:
		return false, true
	}
	return false, false
}

// coordinate reads a finite number within ±limit.
func coordinate(v *fastjson.Value, limit float64) (float64, bool) {
	if v == nil || v.Type() != fastjson.TypeNumber {
		return 0, false
	}
	f, err := v.Float64()
	if err != nil || math.IsNaN(f) || f < -limit || f > limit {
		return 0, false
	}
	return f, true
}

// asNumber reads securityContext.asNumber: an integer or null; some
// exports quote it. 0 means unknown.
func (r *reader) asNumber(v *fastjson.Value) (uint32, error) {
	if v == nil {
		return 0, nil
	}
	var text []byte
	switch v.Type() {
	case fastjson.TypeNull:
		return 0, nil
	case fastjson.TypeString:
		text = bytes.TrimSpace(strBytes(v))
	case fastjson.TypeNumber:
		r.num = v.MarshalTo(r.num[:0])
		text = r.num
	}
	if len(text) == 0 && v.Type() == fastjson.TypeString {
		return 0, nil
	}
	n, err := strconv.ParseUint(scratch(text), 10, 32)
	if err != nil {
		return 0, source.Fieldf("securityContext.asNumber", "expected an AS number (integer below 2^32)")
	}
	return uint32(n), nil
}

// jsonType names v's JSON type for an error message.
func jsonType(v *fastjson.Value) string { return v.Type().String() }
