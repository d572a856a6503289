package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Greenhouse Harvest v1 shapes (GET /v1/candidates), as documented in
// greenhouse-api-docs (source/includes/harvest/_candidates.md).

type ghCandidate struct {
	ID                   int64           `json:"id"`
	FirstName            string          `json:"first_name"`
	LastName             string          `json:"last_name"`
	Company              *string         `json:"company"`
	Title                *string         `json:"title"`
	CreatedAt            string          `json:"created_at"`
	UpdatedAt            string          `json:"updated_at"`
	LastActivity         string          `json:"last_activity"`
	IsPrivate            bool            `json:"is_private"`
	PhotoURL             *string         `json:"photo_url"`
	Attachments          []ghAttachment  `json:"attachments"`
	ApplicationIDs       []int64         `json:"application_ids"`
	PhoneNumbers         []Contact       `json:"phone_numbers"`
	Addresses            []Contact       `json:"addresses"`
	EmailAddresses       []Contact       `json:"email_addresses"`
	WebsiteAddresses     []Contact       `json:"website_addresses"`
	SocialMediaAddresses []ghSocial      `json:"social_media_addresses"`
	Recruiter            *ghUserJSON     `json:"recruiter"`
	Coordinator          *ghUserJSON     `json:"coordinator"`
	CanEmail             bool            `json:"can_email"`
	Tags                 []string        `json:"tags"`
	Applications         []ghApplication `json:"applications"`
	Educations           []ghEducation   `json:"educations"`
	Employments          []ghEmployment  `json:"employments"`
	CustomFields         map[string]any  `json:"custom_fields"`
	KeyedCustomFields    map[string]any  `json:"keyed_custom_fields"`
}

type ghAttachment struct {
	Filename  string `json:"filename"`
	URL       string `json:"url"`
	Type      string `json:"type"`
	CreatedAt string `json:"created_at"`
}

type ghSocial struct {
	Value string `json:"value"`
}

type ghUserJSON struct {
	ID         int64   `json:"id"`
	FirstName  string  `json:"first_name"`
	LastName   string  `json:"last_name"`
	Name       string  `json:"name"`
	EmployeeID *string `json:"employee_id"`
}

type ghIDName struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type ghSource struct {
	ID         int64  `json:"id"`
	PublicName string `json:"public_name"`
}

type ghReason struct {
	ID   int64    `json:"id"`
	Name string   `json:"name"`
	Type ghIDName `json:"type"`
}

type ghApplication struct {
	ID                    int64          `json:"id"`
	CandidateID           int64          `json:"candidate_id"`
	Prospect              bool           `json:"prospect"`
	AppliedAt             string         `json:"applied_at"`
	RejectedAt            *string        `json:"rejected_at"`
	LastActivityAt        string         `json:"last_activity_at"`
	Location              *ghLocation    `json:"location"`
	Source                ghSource       `json:"source"`
	CreditedTo            *ghUserJSON    `json:"credited_to"`
	RejectionReason       *ghReason      `json:"rejection_reason"`
	RejectionDetails      any            `json:"rejection_details"`
	Jobs                  []ghIDName     `json:"jobs"`
	JobPostID             *int64         `json:"job_post_id"`
	Status                string         `json:"status"`
	CurrentStage          *ghIDName      `json:"current_stage"`
	Answers               []any          `json:"answers"`
	ProspectiveOffice     any            `json:"prospective_office"`
	ProspectiveDepartment any            `json:"prospective_department"`
	ProspectDetail        map[string]any `json:"prospect_detail"`
}

type ghLocation struct {
	Address string `json:"address"`
}

type ghEducation struct {
	ID         int64  `json:"id"`
	SchoolName string `json:"school_name"`
	Degree     string `json:"degree"`
	Discipline string `json:"discipline"`
	StartDate  string `json:"start_date"`
	EndDate    string `json:"end_date"`
}

type ghEmployment struct {
	ID          int64   `json:"id"`
	CompanyName string  `json:"company_name"`
	Title       string  `json:"title"`
	StartDate   string  `json:"start_date"`
	EndDate     *string `json:"end_date"`
}

const ghTime = "2006-01-02T15:04:05.000Z"

func ghT(t time.Time) string { return t.UTC().Format(ghTime) }

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// WriteGreenhouse writes the candidates as a JSON array of Harvest v1
// candidate objects.
func (o *Org) WriteGreenhouse(w io.Writer) error {
	out := make([]ghCandidate, 0, len(o.Candidates))
	for _, c := range o.Candidates {
		out = append(out, o.ghCandidate(c))
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("greenhouse candidates: %w", err)
	}
	return nil
}

func ghUserOf(u *GHUser) *ghUserJSON {
	if u == nil {
		return nil
	}
	j := &ghUserJSON{ID: u.ID, FirstName: u.First, LastName: u.Last, Name: u.First + " " + u.Last}
	if u.Employee != nil {
		j.EmployeeID = strPtr(u.Employee.EmployeeNumber)
	}
	return j
}

func (o *Org) ghCandidate(c *Candidate) ghCandidate {
	g := ghCandidate{
		ID: c.ID, FirstName: c.Given, LastName: c.Family, Company: strPtr(c.Company), Title: strPtr(c.Title),
		CreatedAt: ghT(c.Created), UpdatedAt: ghT(c.Updated), LastActivity: ghT(c.Updated),
		Attachments: []ghAttachment{}, ApplicationIDs: []int64{},
		PhoneNumbers: nonNil(c.Phones), Addresses: nonNil(c.Addresses), EmailAddresses: nonNil(c.Emails), WebsiteAddresses: nonNil(c.Websites),
		SocialMediaAddresses: []ghSocial{}, Recruiter: ghUserOf(c.Recruiter), Coordinator: ghUserOf(c.Coordinator),
		CanEmail: true, Tags: append([]string{}, c.Tags...), Applications: []ghApplication{}, Educations: []ghEducation{}, Employments: []ghEmployment{},
		CustomFields: map[string]any{"desired_salary": nil, "work_remotely": true}, KeyedCustomFields: map[string]any{},
	}
	for _, s := range c.Social {
		g.SocialMediaAddresses = append(g.SocialMediaAddresses, ghSocial{s})
	}
	if c.Resume {
		name := strings.NewReplacer(" ", "_", "'", "").Replace(asciiFold(c.Given + "_" + c.Family))
		file := name + "_Resume.pdf"
		g.Attachments = append(g.Attachments, ghAttachment{Filename: file, Type: "resume", CreatedAt: ghT(c.Created),
			URL: fmt.Sprintf("https://prod-heroku.s3.amazonaws.com/person_attachments/data/%03d/%03d/%03d/original/%s", c.ID/1000000%1000, c.ID/1000%1000, c.ID%1000, file)})
	}
	if c.School >= 0 {
		s := schools[c.School]
		g.Educations = append(g.Educations, ghEducation{ID: c.ID/7 + 500000, SchoolName: s.Name, Degree: c.Degree, Discipline: c.Discipline,
			StartDate: fmt.Sprintf("%d-08-15T00:00:00.000Z", c.GradYear-4), EndDate: fmt.Sprintf("%d-05-15T00:00:00.000Z", c.GradYear)})
	}
	if c.Company != "" {
		g.Employments = append(g.Employments, ghEmployment{ID: c.ID/5 + 8000000, CompanyName: c.Company, Title: c.Title,
			StartDate: fmt.Sprintf("%d-01-01T00:00:00.000Z", max(c.GradYear, c.Created.Year()-4)), EndDate: nil})
	}
	for _, a := range c.Apps {
		g.ApplicationIDs = append(g.ApplicationIDs, a.ID)
		g.Applications = append(g.Applications, o.ghApplication(c, a))
	}
	return g
}

func nonNil(cs []Contact) []Contact {
	if cs == nil {
		return []Contact{}
	}
	return cs
}

func (o *Org) ghApplication(c *Candidate, a *Application) ghApplication {
	g := ghApplication{ID: a.ID, CandidateID: c.ID, Prospect: a.Prospect, AppliedAt: ghT(a.Applied), LastActivityAt: ghT(a.LastActivity),
		Source: ghSource{ID: a.Source.ID, PublicName: a.Source.Name}, CreditedTo: ghUserOf(a.CreditedTo),
		Jobs: []ghIDName{{ID: a.Job.ID, Name: a.Job.Name}}, Status: a.Status, Answers: []any{},
		ProspectDetail: map[string]any{"prospect_pool": nil, "prospect_stage": nil, "prospect_owner": nil}}
	if !a.Rejected.IsZero() {
		s := ghT(a.Rejected)
		g.RejectedAt = &s
		g.RejectionReason = &ghReason{ID: 9500 + int64(indexOf(rejectionReasons, a.Reason)), Name: a.Reason, Type: ghIDName{ID: 1, Name: "We rejected them"}}
		if a.Reason == "Candidate withdrew" {
			g.RejectionReason.Type = ghIDName{ID: 2, Name: "They rejected us"}
		}
		g.RejectionDetails = map[string]any{"custom_fields": map[string]any{}, "keyed_custom_fields": map[string]any{}}
	}
	if !a.Prospect {
		g.CurrentStage = &ghIDName{ID: a.Job.ID*10 + int64(indexOf(stages, a.Stage)), Name: a.Stage}
		g.Location = &ghLocation{Address: "Remote, United States"}
	}
	return g
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return 0
}
