package gworkspace

import "strings"

// cloudEntry is a Google Cloud Logging LogEntry carrying a Workspace audit
// log (Workspace data shared with Google Cloud): the activity is the
// AuditLog protoPayload, with the Reports API activity under metadata.
type cloudEntry struct {
	ProtoPayload *struct {
		ServiceName        string `json:"serviceName"`
		AuthenticationInfo struct {
			PrincipalEmail string `json:"principalEmail"`
		} `json:"authenticationInfo"`
		RequestMetadata struct {
			CallerIP string `json:"callerIp"`
		} `json:"requestMetadata"`
		Metadata struct {
			ActivityID struct {
				UniqQualifier scalar `json:"uniqQualifier"`
			} `json:"activityId"`
			Event []struct {
				EventType string      `json:"eventType"`
				EventName string      `json:"eventName"`
				Parameter []parameter `json:"parameter"`
			} `json:"event"`
		} `json:"metadata"`
	} `json:"protoPayload"`
	Timestamp string `json:"timestamp"`
	InsertID  string `json:"insertId"`
}

// activity converts the entry into the Reports API activity it carries.
func (c *cloudEntry) activity() activity {
	p := c.ProtoPayload
	var a activity
	a.ID.Time = c.Timestamp
	a.ID.UniqueQualifier = p.Metadata.ActivityID.UniqQualifier
	if a.ID.UniqueQualifier.s == "" {
		a.ID.UniqueQualifier.s = c.InsertID
	}
	a.ID.ApplicationName = strings.TrimSuffix(p.ServiceName, ".googleapis.com")
	a.Actor.Email = p.AuthenticationInfo.PrincipalEmail
	a.IPAddress = p.RequestMetadata.CallerIP
	for _, e := range p.Metadata.Event {
		a.Events.list = append(a.Events.list, activityEvent{Type: e.EventType, Name: e.EventName, Parameters: e.Parameter})
	}
	return a
}
