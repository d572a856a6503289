package osquery

import (
	"strings"

	"github.com/rollcall/rollcall/internal/event"
)

// Table names set in event.Device.Table.
const (
	TableUSBDevices     = "usb_devices"
	TableProcesses      = "processes"
	TableProcessEvents  = "process_events" // process executions audited by the events framework: a start, not a running process
	TableApps           = "apps"           // macOS applications
	TablePrograms       = "programs"       // Windows installed programs
	TableSystemInfo     = "system_info"
	TableTime           = "time"
	TableKeyboardLayout = "keyboard_layout" // input sources / keyboard layouts, from registry, plist or preferences rows
	// The laptop's network neighbourhood: arp_cache lists the IP and MAC
	// addresses of the machines on its LAN (address, mac, interface,
	// permanent); interface_details its own interfaces (interface, mac,
	// type…); etc_hosts the hosts file (address, hostnames); dns_cache the
	// names Windows resolved lately (name, type, flags).
	TableARPCache         = "arp_cache"
	TableInterfaceDetails = "interface_details"
	TableEtcHosts         = "etc_hosts"
	TableDNSCache         = "dns_cache"
)

// queryNameTables are the tables recognised from the query name, in the
// order they are tried, when the columns do not decide.
var queryNameTables = []string{TableUSBDevices, TableSystemInfo, TableKeyboardLayout, TableProcessEvents, TableProcesses, TablePrograms, TableApps, TableTime,
	TableARPCache, TableInterfaceDetails, TableEtcHosts, TableDNSCache}

// keyboardPlistKeys are macOS HIToolbox preference keys that list the
// user's keyboard layouts and input methods.
var keyboardPlistKeys = map[string]bool{
	"AppleSelectedInputSources":               true,
	"AppleEnabledInputSources":                true,
	"AppleInputSourceHistory":                 true,
	"AppleCurrentKeyboardLayoutInputSourceID": true,
}

// recogniseTable names the osquery table the rows come from, judged by the
// first row's columns (so that a query named "pack_it_usb" over
// usb_devices is recognised), and falling back to a table name that
// appears as a word of the query name. It returns "" when neither decides.
func recogniseTable(rows []event.Row, query string) string {
	if len(rows) > 0 {
		if t := tableFromColumns(rows[0]); t != "" {
			return t
		}
	}
	return tableFromQueryName(query)
}

func tableFromColumns(r event.Row) string {
	has := func(k string) bool { _, ok := r.Lookup(k); return ok }
	switch {
	case has("vendor_id") && has("model_id"):
		return TableUSBDevices
	case has("hardware_serial") && (has("computer_name") || has("cpu_brand") || has("uuid")):
		return TableSystemInfo
	case (has("local_timezone") || has("timezone")) && (has("unix_time") || has("local_time") || has("datetime")):
		return TableTime
	case isKeyboardRow(r):
		return TableKeyboardLayout
	case has("pid") && (has("eid") || has("syscall") || has("auid") || has("cmdline_size")):
		return TableProcessEvents // columns only process_events has
	case has("pid") && (has("cmdline") || has("parent")):
		return TableProcesses
	case has("bundle_identifier"):
		return TableApps
	case has("name") && (has("install_location") || has("identifying_number") || has("uninstall_string")):
		return TablePrograms
	case has("mac") && has("address"):
		return TableARPCache // interface_details and interface_addresses have one each, never both
	case has("mac") && has("interface"):
		return TableInterfaceDetails
	case has("hostnames") && has("address"):
		return TableEtcHosts
	case has("name") && has("type") && has("flags") && !has("path") && !has("pid"):
		return TableDNSCache
	}
	return ""
}

// isKeyboardRow recognises keyboard layout data: Windows registry rows under
// HKEY_USERS\…\Keyboard Layout\Preload (or Substitutes), macOS plist rows
// with the HIToolbox keys, and preferences rows of the com.apple.HIToolbox
// domain.
func isKeyboardRow(r event.Row) bool {
	if d, ok := r.Lookup("domain"); ok && strings.EqualFold(d, "com.apple.HIToolbox") {
		return true
	}
	if keyboardPlistKeys[r.Get("key")] {
		return true
	}
	p := strings.ToLower(r.Get("path"))
	return strings.Contains(p, `\keyboard layout\preload`) || strings.Contains(p, `\keyboard layout\substitutes`) ||
		strings.Contains(p, "com.apple.hitoolbox")
}

// tableFromQueryName finds a known table name as whole words of the query
// name: "pack_hardware-monitoring_usb_devices" gives usb_devices.
func tableFromQueryName(query string) string {
	norm := "_" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '_'
	}, query) + "_"
	for _, t := range queryNameTables {
		if strings.Contains(norm, "_"+t+"_") {
			return t
		}
	}
	return ""
}
