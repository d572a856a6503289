package osquery_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rollcall/rollcall/internal/event"
	"github.com/rollcall/rollcall/internal/source/osquery"
	"github.com/rollcall/rollcall/internal/source/sourcetest"
)

func decode(t *testing.T, name string, content []byte) *sourcetest.Result {
	t.Helper()
	return sourcetest.DecodeOK(t, osquery.New(), name, content)
}

func TestGolden(t *testing.T) {
	sourcetest.RunGolden(t, osquery.New())
}

func TestRejections(t *testing.T) {
	sourcetest.CheckRejections(t, osquery.New(), "rejects.log", []sourcetest.Rejected{
		{Line: 1, Record: 1, Field: "unixTime", Reason: "not Unix seconds"},
		{Line: 2, Record: 2, Field: "calendarTime", Reason: "not an osquery calendar time in UTC"},
		{Line: 3, Record: 3, Field: "hostIdentifier", Reason: "missing"},
		{Line: 5, Record: 5, Field: "name", Reason: "missing"},
		{Line: 6, Record: 6, Field: "columns", Reason: "status log line"},
		{Line: 7, Record: 7, Field: "action", Reason: "want \"added\" or \"removed\""},
		{Line: 8, Record: 8, Field: "unixTime", Reason: "out of range"},
		{Line: 9, Record: 9, Field: "columns", Reason: "expected an object, got JSON array"},
		{Line: 10, Record: 10, Field: "calendarTime", Reason: "no unixTime"},
	}, 4)
}

func TestTables(t *testing.T) {
	tests := []struct {
		name    string
		query   string
		columns string
		want    string
	}{
		{"usb_by_columns", "pack_it_hw", `{"vendor_id":"1d6b","model_id":"0104","vendor":"PiKVM"}`, osquery.TableUSBDevices},
		{"processes_by_columns", "q1", `{"pid":"7712","name":"AnyDesk.exe","path":"C:\\AnyDesk.exe","cmdline":"AnyDesk.exe"}`, osquery.TableProcesses},
		{"apps_by_columns", "q2", `{"bundle_identifier":"com.astrill.astrillvpn","name":"AstrillVPN.app","path":"/Applications/AstrillVPN.app"}`, osquery.TableApps},
		{"programs_by_columns", "q3", `{"name":"AnyDesk","version":"8.0.8","publisher":"AnyDesk Software GmbH","install_location":"C:\\AnyDesk"}`, osquery.TablePrograms},
		{"system_info_by_columns", "q4", `{"hostname":"h","uuid":"u","hardware_serial":"C02FK1ABQ05N","computer_name":"c"}`, osquery.TableSystemInfo},
		{"time_by_columns", "q5", `{"local_timezone":"KST","unix_time":"1741046405"}`, osquery.TableTime},
		{"registry_preload", "q6", `{"path":"HKEY_USERS\\S-1-5-21-1\\Keyboard Layout\\Preload\\1","name":"1","data":"00000409"}`, osquery.TableKeyboardLayout},
		{"plist_input_sources", "q7", `{"path":"/Users/mo/Library/Preferences/com.apple.HIToolbox.plist","key":"AppleEnabledInputSources","subkey":"0/KeyboardLayout Name","value":"U.S."}`, osquery.TableKeyboardLayout},
		{"preferences_domain", "q8", `{"domain":"com.apple.HIToolbox","key":"AppleCurrentKeyboardLayoutInputSourceID","value":"com.apple.keylayout.US"}`, osquery.TableKeyboardLayout},
		{"ambiguous_columns_use_query_name", "pack_hardware-monitoring_usb_devices", `{"serial":"X"}`, osquery.TableUSBDevices},
		{"query_name_words_only", "pack_it_uptime", `{"days":"3"}`, ""},
		{"query_name_apps", "pack_macos-Apps", `{"x":"1"}`, osquery.TableApps},
		{"unknown", "pack_it-compliance_mounts", `{"path":"/","type":"apfs"}`, ""},
		{"arp_cache_by_columns", "lan", `{"address":"192.168.1.23","mac":"b8:27:eb:4f:10:2a","interface":"en0","permanent":"0"}`, osquery.TableARPCache},
		{"arp_cache_two_columns", "q9", `{"address":"192.168.1.23","mac":"b8:27:eb:4f:10:2a"}`, osquery.TableARPCache},
		{"interface_details_by_columns", "q10", `{"interface":"en0","mac":"a4:83:e7:12:34:56","type":"6","mtu":"1500"}`, osquery.TableInterfaceDetails},
		{"interface_addresses_is_not", "q11", `{"interface":"en0","address":"192.168.1.10","mask":"255.255.255.0"}`, ""},
		{"etc_hosts_by_columns", "q12", `{"address":"192.168.1.50","hostnames":"pikvm pikvm.local"}`, osquery.TableEtcHosts},
		{"dns_cache_by_columns", "q13", `{"name":"pikvm.local","type":"1","flags":"8192"}`, osquery.TableDNSCache},
		{"arp_cache_by_query_name", "pack_network_arp_cache", `{"ip":"x"}`, osquery.TableARPCache},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			line := `{"name":"` + tc.query + `","hostIdentifier":"h","unixTime":"1741046405","action":"added","columns":` + tc.columns + "}\n"
			got := decode(t, "t.log", []byte(line))
			if len(got.Events) != 1 {
				t.Fatalf("got %d events, rejections %+v; want 1 event", len(got.Events), got.Rejections)
			}
			if tbl := got.Events[0].Device.Table; tbl != tc.want {
				t.Errorf("Table = %q, want %q", tbl, tc.want)
			}
		})
	}
}

func TestForms(t *testing.T) {
	tests := []struct {
		name string
		line string
		want event.Device
		time time.Time
	}{
		{
			name: "differential_with_decorations",
			line: `{"name":"usb","hostIdentifier":"h1","calendarTime":"Tue Mar  4 03:12:09 2025 UTC","unixTime":1741057929,"decorations":{"username":"mo"},"columns":{"vendor_id":"1d6b","model_id":"0104"},"action":"added"}`,
			want: event.Device{HostID: "h1", Query: "usb", Table: "usb_devices", Action: "added",
				Rows: event.RowsOf(map[string]string{"vendor_id": "1d6b", "model_id": "0104", "decorations.username": "mo"})},
			time: time.Date(2025, 3, 4, 3, 12, 9, 0, time.UTC),
		},
		{
			name: "numerics_keep_literal_text",
			line: `{"name":"m","hostIdentifier":"h1","unixTime":1741057929,"numerics":true,"columns":{"inodes":9223372036854775807,"ratio":0.5,"ok":true,"none":null},"action":"removed"}`,
			want: event.Device{HostID: "h1", Query: "m", Action: "removed",
				Rows: event.RowsOf(map[string]string{"inodes": "9223372036854775807", "ratio": "0.5", "ok": "true", "none": ""})},
			time: time.Date(2025, 3, 4, 3, 12, 9, 0, time.UTC),
		},
		{
			name: "snapshot_rows",
			line: `{"snapshot":[{"pid":"1","parent":"0"},{"pid":"51","parent":"1"}],"action":"snapshot","name":"process_snapshot","hostIdentifier":"h2","calendarTime":"Mon May  2 22:27:32 2016 UTC"}`,
			want: event.Device{HostID: "h2", Query: "process_snapshot", Table: "processes", Action: "snapshot",
				Rows: event.RowsOf(map[string]string{"pid": "1", "parent": "0"}, map[string]string{"pid": "51", "parent": "1"})},
			time: time.Date(2016, 5, 2, 22, 27, 32, 0, time.UTC),
		},
		{
			name: "batch_marks_added_and_removed",
			line: `{"diffResults":{"added":[{"pid":"97830"}],"removed":[{"pid":"97650"}]},"name":"processes","hostname":"hostname.local","calendarTime":"Tue Sep 30 17:37:30 2014","unixTime":"1412123850"}`,
			want: event.Device{HostID: "hostname.local", Query: "processes", Table: "processes", Action: "batch",
				Rows: event.RowsOf(map[string]string{"pid": "97830", "diffResults": "added"}, map[string]string{"pid": "97650", "diffResults": "removed"})},
			time: time.Date(2014, 10, 1, 0, 37, 30, 0, time.UTC),
		},
		{
			name: "top_level_decorations",
			line: `{"name":"q","hostIdentifier":"h3","unixTime":"1412123850","epoch":"0","counter":"1","host_uuid":"U-1","username":"root","columns":{"a":"b"},"action":"added"}`,
			want: event.Device{HostID: "h3", Query: "q", Action: "added",
				Rows: event.RowsOf(map[string]string{"a": "b", "decorations.host_uuid": "U-1", "decorations.username": "root"})},
			time: time.Date(2014, 10, 1, 0, 37, 30, 0, time.UTC),
		},
		{
			name: "tricky_strings_are_not_keys",
			line: `{"name":"q","hostIdentifier":"h4","unixTime":"1412123850","columns":{"cmdline":"sh -c 'echo \"}, \\\"user\\\": {\"'","n":"[1,{"},"action":"added"}`,
			want: event.Device{HostID: "h4", Query: "q", Action: "added",
				Rows: event.RowsOf(map[string]string{"cmdline": `sh -c 'echo "}, \"user\": {"'`, "n": "[1,{"})},
			time: time.Date(2014, 10, 1, 0, 37, 30, 0, time.UTC),
		},
		{
			name: "top_level_decoration_after_nested_values",
			line: `{"name":"q","hostIdentifier":"h5","unixTime":"1412123850","columns":{"a":"{\"b\":1}"},"action":"added","numerics":false,"serial":"C02FK1ABQ05N"}`,
			want: event.Device{HostID: "h5", Query: "q", Action: "added",
				Rows: event.RowsOf(map[string]string{"a": `{"b":1}`, "decorations.serial": "C02FK1ABQ05N"})},
			time: time.Date(2014, 10, 1, 0, 37, 30, 0, time.UTC),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := decode(t, "f.log", []byte(tc.line+"\n"))
			if len(got.Events) != 1 {
				t.Fatalf("got %d events, rejections %+v; want 1 event", len(got.Events), got.Rejections)
			}
			ev := got.Events[0]
			if ev.Kind != event.KindDevice || ev.Device == nil {
				t.Fatalf("kind %q, want device", ev.Kind)
			}
			if diff := cmp.Diff(tc.want, *ev.Device); diff != "" {
				t.Errorf("Device (-want +got):\n%s", diff)
			}
			if !ev.Time.Equal(tc.time) || ev.Time.Location() != time.UTC {
				t.Errorf("Time = %v, want %v in UTC", ev.Time, tc.time)
			}
			if !ev.Actor().Empty() {
				t.Errorf("Actor = %+v, want empty", ev.Actor())
			}
		})
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"differential", `{"name":"p","hostIdentifier":"h","calendarTime":"x","unixTime":"1","columns":{},"action":"added"}`, true},
		{"snapshot_first_key", `{"snapshot":[],"action":"snapshot","name":"s","hostIdentifier":"h","unixTime":1}`, true},
		{"batch", `{"diffResults":{"added":[],"removed":[]},"name":"p","hostname":"h","calendarTime":"x"}`, true},
		{"status_log", `{"hostIdentifier":"h","calendarTime":"x","unixTime":"1","severity":"0","filename":"f","line":"1","message":"m"}`, false},
		{"github_audit", `{"@timestamp":1,"action":"git.clone","actor":"a","name":"x"}`, false},
		{"entra", `{"createdDateTime":"2025-03-03T14:12:09Z","userPrincipalName":"a@b.c"}`, false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := osquery.New().Sniff([]byte(tc.head)); got != tc.want {
				t.Errorf("Sniff = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestGzip(t *testing.T) {
	for _, path := range sourcetest.Testdata(t, "testdata") {
		content, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(content)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		plain := sourcetest.DecodeBytes(t, osquery.New(), "in", content)
		zipped := sourcetest.DecodeBytes(t, osquery.New(), "in", buf.Bytes())
		if diff := cmp.Diff(plain, zipped, sourcetest.CmpOpts); diff != "" {
			t.Errorf("%s: gzip input decodes differently (-plain +gzip):\n%s", path, diff)
		}
		if len(plain.Events) == 0 {
			t.Errorf("%s: no events", path)
		}
	}
}
