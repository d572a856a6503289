package sim

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// fixtureConfig is big enough for every hard-negative behaviour to occur
// and small enough to parse quickly.
var fixtureConfig = Config{Seed: 7, People: 150, Days: 45}

// fixture is one generated organisation, written to disk and parsed back
// from the files (tests check the files, not the generator's memory).
type fixture struct {
	org        *Org
	dir        string
	okta       []oktaEvent
	roster     scimListIn
	candidates []ghCandidateIn
	payroll    [][]string // without header
	shipments  [][]string // without header
	truth      *Truth
}

var loadFixture = sync.OnceValues(func() (*fixture, error) {
	o, err := Generate(fixtureConfig)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "rollcall-sim-test-")
	if err != nil {
		return nil, err
	}
	if err := o.WriteDir(dir); err != nil {
		return nil, err
	}
	f := &fixture{org: o, dir: dir}
	if f.okta, err = readOkta(filepath.Join(dir, FileOkta)); err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(dir, FileRoster), &f.roster); err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(dir, FileCandidates), &f.candidates); err != nil {
		return nil, err
	}
	if f.payroll, err = readCSV(filepath.Join(dir, FilePayroll)); err != nil {
		return nil, err
	}
	if f.shipments, err = readCSV(filepath.Join(dir, FileShipments)); err != nil {
		return nil, err
	}
	if f.truth, err = LoadTruth(filepath.Join(dir, FileTruth)); err != nil {
		return nil, err
	}
	return f, nil
})

func getFixture(t *testing.T) *fixture {
	t.Helper()
	f, err := loadFixture()
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return f
}

func TestMain(m *testing.M) {
	code := m.Run()
	if f, err := loadFixture(); err == nil && f != nil {
		os.RemoveAll(f.dir)
	}
	tempDirs.Range(func(dir, _ any) bool {
		os.RemoveAll(dir.(string))
		return true
	})
	os.Exit(code)
}

type geoIn struct {
	City        string  `json:"city"`
	State       string  `json:"state"`
	Country     string  `json:"country"`
	PostalCode  *string `json:"postalCode"`
	Geolocation struct {
		Lat float64 `json:"lat"`
		Lon float64 `json:"lon"`
	} `json:"geolocation"`
}

type oktaEvent struct {
	UUID      string `json:"uuid"`
	Published string `json:"published"`
	EventType string `json:"eventType"`
	Actor     struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		AlternateID string `json:"alternateId"`
		DisplayName string `json:"displayName"`
	} `json:"actor"`
	Client struct {
		UserAgent struct {
			RawUserAgent string `json:"rawUserAgent"`
			OS           string `json:"os"`
			Browser      string `json:"browser"`
		} `json:"userAgent"`
		Zone                string `json:"zone"`
		Device              string `json:"device"`
		IPAddress           string `json:"ipAddress"`
		GeographicalContext geoIn  `json:"geographicalContext"`
	} `json:"client"`
	Device *struct {
		ID         string `json:"id"`
		OSPlatform string `json:"os_platform"`
		Managed    bool   `json:"managed"`
		Registered bool   `json:"registered"`
	} `json:"device"`
	Outcome struct {
		Result string  `json:"result"`
		Reason *string `json:"reason"`
	} `json:"outcome"`
	SecurityContext struct {
		ASNumber int    `json:"asNumber"`
		ASOrg    string `json:"asOrg"`
		ISP      string `json:"isp"`
		Domain   string `json:"domain"`
		IsProxy  bool   `json:"isProxy"`
	} `json:"securityContext"`
	AuthenticationContext struct {
		ExternalSessionID string `json:"externalSessionId"`
	} `json:"authenticationContext"`
	DebugContext struct {
		DebugData map[string]string `json:"debugData"`
	} `json:"debugContext"`
	Target []struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		AlternateID string `json:"alternateId"`
		DisplayName string `json:"displayName"`
	} `json:"target"`
	time time.Time
}

func readOkta(path string) ([]oktaEvent, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []oktaEvent
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e oktaEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, err
		}
		if e.time, err = time.Parse("2006-01-02T15:04:05.000Z", e.Published); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	return recs, nil
}

type scimListIn struct {
	Schemas      []string     `json:"schemas"`
	TotalResults int          `json:"totalResults"`
	StartIndex   int          `json:"startIndex"`
	ItemsPerPage int          `json:"itemsPerPage"`
	Resources    []scimUserIn `json:"Resources"`
}

type scimUserIn struct {
	Schemas    []string `json:"schemas"`
	ID         string   `json:"id"`
	ExternalID string   `json:"externalId"`
	UserName   string   `json:"userName"`
	Name       struct {
		Formatted  string `json:"formatted"`
		GivenName  string `json:"givenName"`
		FamilyName string `json:"familyName"`
	} `json:"name"`
	DisplayName  string                         `json:"displayName"`
	Emails       []struct{ Value, Type string } `json:"emails"`
	PhoneNumbers []struct{ Value, Type string } `json:"phoneNumbers"`
	Addresses    []struct {
		Type          string `json:"type"`
		StreetAddress string `json:"streetAddress"`
		Locality      string `json:"locality"`
		Region        string `json:"region"`
		PostalCode    string `json:"postalCode"`
		Country       string `json:"country"`
		Formatted     string `json:"formatted"`
	} `json:"addresses"`
	Timezone string `json:"timezone"`
	UserType string `json:"userType"`
	Active   bool   `json:"active"`
	Meta     struct {
		ResourceType string `json:"resourceType"`
		Created      string `json:"created"`
		LastModified string `json:"lastModified"`
	} `json:"meta"`
	Enterprise struct {
		EmployeeNumber string `json:"employeeNumber"`
		Organization   string `json:"organization"`
		Department     string `json:"department"`
		Manager        *struct {
			Value string `json:"value"`
		} `json:"manager"`
	} `json:"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`
}

type ghCandidateIn struct {
	ID                   int64                          `json:"id"`
	FirstName            string                         `json:"first_name"`
	LastName             string                         `json:"last_name"`
	CreatedAt            string                         `json:"created_at"`
	ApplicationIDs       []int64                        `json:"application_ids"`
	PhoneNumbers         []struct{ Value, Type string } `json:"phone_numbers"`
	EmailAddresses       []struct{ Value, Type string } `json:"email_addresses"`
	WebsiteAddresses     []struct{ Value, Type string } `json:"website_addresses"`
	SocialMediaAddresses []struct{ Value string }       `json:"social_media_addresses"`
	Applications         []struct {
		ID          int64  `json:"id"`
		CandidateID int64  `json:"candidate_id"`
		AppliedAt   string `json:"applied_at"`
		Status      string `json:"status"`
		Source      struct {
			ID         int64  `json:"id"`
			PublicName string `json:"public_name"`
		} `json:"source"`
		CreditedTo *struct {
			ID         int64   `json:"id"`
			Name       string  `json:"name"`
			EmployeeID *string `json:"employee_id"`
		} `json:"credited_to"`
		Jobs []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"jobs"`
	} `json:"applications"`
}
