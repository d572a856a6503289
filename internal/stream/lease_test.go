package stream

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// TestLease checks that one holder at a time has a tenant's analysis
// lease, that releasing hands it on at once, and that the lease of a
// holder that stopped renewing it (a dead worker) expires with the
// bucket's TTL.
func TestLease(t *testing.T) {
	nc := connect(t, natsURL(t))
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	topo := testTopology(t, nc)
	topo.LeaseTTL = time.Second
	if _, err := Ensure(ctx, js, topo); err != nil {
		t.Fatal(err)
	}
	kv, err := js.KeyValue(ctx, topo.LocksBucket())
	if err != nil {
		t.Fatal(err)
	}
	a, err := acquireLease(ctx, kv, "t", "a", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
	defer cancel()
	if _, err := acquireLease(short, kv, "t", "b", time.Second); err == nil {
		t.Fatal("a second holder got the lease while the first renewed it")
	}
	if other, err := acquireLease(ctx, kv, "u", "b", time.Second); err != nil {
		t.Fatalf("another tenant's lease: %v", err)
	} else {
		other.release()
	}
	a.release()
	start := time.Now()
	b, err := acquireLease(ctx, kv, "t", "b", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited > 900*time.Millisecond {
		t.Errorf("waited %s for a released lease", waited)
	}
	// b dies: it stops renewing without releasing.
	b.cancel()
	<-b.done
	start = time.Now()
	c, err := acquireLease(ctx, kv, "t", "c", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.release()
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("a dead holder's lease lasted %s", waited)
	}
	select {
	case <-c.ctx.Done():
		t.Error("the lease ended while held")
	default:
	}
}
