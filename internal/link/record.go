// Package link is entity resolution over applicant records at platform
// scale: it finds the records that name one person, or one operator's
// personas, among millions.
//
// Records with typed fields go in; weighted links and clusters come out.
// The steps follow the Fellegi–Sunter tradition as Splink implements it:
//
//  1. normalise every record once (folded names and their Soundex codes,
//     nicknames resolved, E.164 phones via libphonenumber, canonical
//     mailboxes, USPS-folded address keys);
//  2. block: every record emits a few keys (phonetic name with birth year,
//     family name with birth date, given name with birth date, phone,
//     mailbox, address, national id, URL, payout account) and the records
//     sharing a key become candidate pairs; MinHash LSH over résumé text
//     (internal/enrich/resume) proposes more;
//  3. compare each candidate pair field by field into graded agreement
//     levels (exact, Jaro–Winkler bands, nickname, date typo, frequent
//     value…);
//  4. score with a Fellegi–Sunter model: u probabilities from random
//     pairs, m probabilities and the prior match rate by expectation
//     maximisation over the candidate pairs' agreement patterns;
//  5. cluster the pairs above the match threshold without over-merging:
//     weak bridges joining two groups are cut, and no cluster grows past
//     a cap (edges are taken strongest first).
//
// Everything is pure and deterministic: the same records give the same
// clusters. The scan's applicant links (APP-01, APP-12) and cell links can
// reuse Link by turning people into Records.
package link

import (
	"fmt"
	"slices"
	"strings"
)

// Record is one applicant record. Multi-valued fields hold every value the
// source gives; empty fields are unknown, never a disagreement.
type Record struct {
	ID           string
	GivenName    string
	FamilyName   string
	BirthDate    string // any of YYYYMMDD, YYYY-MM-DD, DD/MM/YYYY
	Emails       []string
	Phones       []string
	StreetNumber string
	Address      string // street line; may hold the whole address as free text
	Address2     string
	City         string
	Postcode     string
	Region       string
	Country      string
	NationalID   string
	URLs         []string
	Payouts      []string // payout account fingerprints
	Resume       string   // résumé text
	// Ref says where the record came from ("applicants.csv:12"), for errors.
	Ref string
}

// Field names a Record field in --map mappings and in a link's matched
// fields.
type Field string

// The fields a mapping may name.
const (
	FieldID           Field = "id"
	FieldGivenName    Field = "given_name"
	FieldFamilyName   Field = "family_name"
	FieldBirthDate    Field = "birth_date"
	FieldEmail        Field = "email"
	FieldPhone        Field = "phone"
	FieldStreetNumber Field = "street_number"
	FieldAddress      Field = "address"
	FieldAddress2     Field = "address2"
	FieldCity         Field = "city"
	FieldPostcode     Field = "postcode"
	FieldRegion       Field = "region"
	FieldCountry      Field = "country"
	FieldNationalID   Field = "national_id"
	FieldURL          Field = "url"
	FieldPayout       Field = "payout"
	FieldResume       Field = "resume"
)

// Fields lists every field, in the order --help shows them.
var Fields = []Field{
	FieldID, FieldGivenName, FieldFamilyName, FieldBirthDate, FieldEmail, FieldPhone, FieldStreetNumber,
	FieldAddress, FieldAddress2, FieldCity, FieldPostcode, FieldRegion, FieldCountry, FieldNationalID,
	FieldURL, FieldPayout, FieldResume,
}

// multiValued fields may be mapped from several columns and split on ';'.
func (f Field) multiValued() bool {
	switch f {
	case FieldEmail, FieldPhone, FieldURL, FieldPayout:
		return true
	}
	return false
}

// set stores value v of field f in r: a multi-valued field appends every
// ';'-separated value, a single-valued one joins a second column with a
// space.
func (r *Record) set(f Field, v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	if f.multiValued() {
		for p := range strings.SplitSeq(v, ";") {
			if p = strings.TrimSpace(p); p != "" {
				r.addValue(f, p)
			}
		}
		return
	}
	dst := r.single(f)
	if *dst != "" {
		*dst += " " + v
		return
	}
	*dst = v
}

func (r *Record) addValue(f Field, v string) {
	switch f {
	case FieldEmail:
		r.Emails = append(r.Emails, v)
	case FieldPhone:
		r.Phones = append(r.Phones, v)
	case FieldURL:
		r.URLs = append(r.URLs, v)
	case FieldPayout:
		r.Payouts = append(r.Payouts, v)
	}
}

func (r *Record) single(f Field) *string {
	switch f {
	case FieldID:
		return &r.ID
	case FieldGivenName:
		return &r.GivenName
	case FieldFamilyName:
		return &r.FamilyName
	case FieldBirthDate:
		return &r.BirthDate
	case FieldStreetNumber:
		return &r.StreetNumber
	case FieldAddress:
		return &r.Address
	case FieldAddress2:
		return &r.Address2
	case FieldCity:
		return &r.City
	case FieldPostcode:
		return &r.Postcode
	case FieldRegion:
		return &r.Region
	case FieldCountry:
		return &r.Country
	case FieldNationalID:
		return &r.NationalID
	case FieldResume:
		return &r.Resume
	}
	panic("link: no single-valued field " + string(f)) // unreachable: fields are checked by ParseMapping
}

// Mapping maps fields to CSV column names; a multi-valued field may name
// several columns.
type Mapping map[Field][]string

// ParseMapping reads "field=column,field=column,…". Unknown fields and a
// single-valued field mapped twice are errors that say what is accepted.
func ParseMapping(s string) (Mapping, error) {
	m := Mapping{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		f, col, ok := strings.Cut(part, "=")
		f, col = strings.TrimSpace(f), strings.TrimSpace(col)
		if !ok || f == "" || col == "" {
			return nil, fmt.Errorf("mapping %q: want field=column", part)
		}
		field := Field(f)
		if !slices.Contains(Fields, field) {
			return nil, fmt.Errorf("mapping %q: unknown field %q (fields: %s)", part, f, fieldList())
		}
		if len(m[field]) > 0 && !field.multiValued() {
			return nil, fmt.Errorf("mapping %q: field %q is already mapped to column %q", part, f, m[field][0])
		}
		m[field] = append(m[field], col)
	}
	if len(m[FieldID]) == 0 {
		return nil, fmt.Errorf("mapping %q: the id field must be mapped (id=COLUMN)", s)
	}
	return m, nil
}

func fieldList() string {
	names := make([]string, len(Fields))
	for i, f := range Fields {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// columnAliases are the header names AutoMapping recognises besides the
// field names themselves: FEBRL's and common applicant-export spellings.
var columnAliases = map[string]Field{
	"rec_id": FieldID, "record_id": FieldID, "candidate_id": FieldID,
	"first_name": FieldGivenName, "firstname": FieldGivenName, "given": FieldGivenName,
	"surname": FieldFamilyName, "last_name": FieldFamilyName, "lastname": FieldFamilyName,
	"date_of_birth": FieldBirthDate, "dob": FieldBirthDate, "birthdate": FieldBirthDate,
	"email_address": FieldEmail, "mail": FieldEmail, "phone_number": FieldPhone, "mobile": FieldPhone,
	"address_1": FieldAddress, "street": FieldAddress, "address_2": FieldAddress2,
	"suburb": FieldCity, "locality": FieldCity, "town": FieldCity, "zip": FieldPostcode, "postal_code": FieldPostcode,
	"state": FieldRegion, "soc_sec_id": FieldNationalID, "ssn": FieldNationalID, "website": FieldURL,
	"resume_text": FieldResume, "payout_account": FieldPayout,
}

// AutoMapping maps the columns of header whose names are field names or
// well-known aliases (FEBRL's rec_id, surname, suburb, soc_sec_id…). It
// fails when no column maps to id.
func AutoMapping(header []string) (Mapping, error) {
	m := Mapping{}
	for _, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		f := Field(name)
		if !slices.Contains(Fields, f) {
			var ok bool
			if f, ok = columnAliases[name]; !ok {
				continue
			}
		}
		if len(m[f]) > 0 && !f.multiValued() {
			continue
		}
		m[f] = append(m[f], strings.TrimSpace(h))
	}
	if len(m[FieldID]) == 0 {
		return nil, fmt.Errorf("no column is named id (or rec_id, candidate_id); say which with --map id=COLUMN,…")
	}
	return m, nil
}
