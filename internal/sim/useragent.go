package sim

import (
	"fmt"
	"strings"
	"time"
)

// userAgent is the browser of a device on a date: the raw header and the
// os/browser names Okta derives from it.
type userAgent struct {
	Raw, OS, Browser string
}

// chromeMajor is the Chrome release current on date t (a new major every
// four weeks; 139 in early August 2026).
func chromeMajor(t time.Time) int {
	ref := time.Date(2026, 8, 5, 0, 0, 0, 0, time.UTC)
	return 139 + int(t.Sub(ref).Hours()/24/28)
}

// uaCache avoids formatting the same header again and again.
type uaCache map[uaKey]userAgent

type uaKey struct {
	platform, browser, os string
	chrome                int
}

// get returns the user agent of dev on date t.
func (c uaCache) get(dev *Device, t time.Time) userAgent {
	v := chromeMajor(t)
	key := uaKey{dev.Platform, dev.Browser, dev.OSVersion, v}
	if ua, ok := c[key]; ok {
		return ua
	}
	ua := buildUA(dev, v)
	c[key] = ua
	return ua
}

func buildUA(dev *Device, chrome int) userAgent {
	switch dev.Platform {
	case "IOS":
		osv := strings.ReplaceAll(majorMinor(dev.OSVersion), ".", "_")
		return userAgent{fmt.Sprintf("Mozilla/5.0 (iPhone; CPU iPhone OS %s like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%s Mobile/15E148 Safari/604.1", osv, majorMinor(dev.OSVersion)), "iOS", "SAFARI"}
	case "ANDROID":
		return userAgent{fmt.Sprintf("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Mobile Safari/537.36", chrome), "Android", "CHROME"}
	case "WINDOWS":
		return userAgent{fmt.Sprintf("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36", chrome), "Windows 10", "CHROME"}
	}
	switch dev.Browser {
	case "safari":
		v := "18.6"
		if strings.HasPrefix(dev.OSVersion, "26") {
			v = "26.0"
		}
		return userAgent{fmt.Sprintf("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%s Safari/605.1.15", v), "Mac OS X", "SAFARI"}
	case "firefox":
		ff := chrome + 3
		return userAgent{fmt.Sprintf("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:%d.0) Gecko/20100101 Firefox/%d.0", ff, ff), "Mac OS X", "FIREFOX"}
	}
	return userAgent{fmt.Sprintf("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36", chrome), "Mac OS X", "CHROME"}
}

// majorMinor returns "18.6" for "18.6.2" and "26.0" for "26".
func majorMinor(v string) string {
	parts := strings.Split(v, ".")
	if len(parts) == 1 {
		return parts[0] + ".0"
	}
	return parts[0] + "." + parts[1]
}
