package locks

import (
	"encoding/binary"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// --- a tiny BSON writer for the tests ---

type field struct {
	key   string
	typ   byte
	value []byte
}

func doc(fields ...field) []byte {
	var body []byte
	for _, f := range fields {
		body = append(body, f.typ)
		body = append(body, f.key...)
		body = append(body, 0)
		body = append(body, f.value...)
	}
	out := binary.LittleEndian.AppendUint32(nil, uint32(len(body)+5))
	out = append(out, body...)
	return append(out, 0)
}

func str(key, value string) field {
	v := binary.LittleEndian.AppendUint32(nil, uint32(len(value)+1))
	v = append(append(v, value...), 0)
	return field{key, typeString, v}
}

func oid(key string, b byte) field {
	v := make([]byte, 12)
	v[11] = b
	return field{key, typeObjectID, v}
}

func i32(key string, n int32) field {
	return field{key, typeInt32, binary.LittleEndian.AppendUint32(nil, uint32(n))}
}

func sub(key string, d []byte) field { return field{key, typeDocument, d} }

func arr(key string, docs ...[]byte) field {
	items := make([]field, len(docs))
	for i, d := range docs {
		items[i] = sub(string(rune('0'+i)), d)
	}
	f := sub(key, doc(items...))
	f.typ = typeArray
	return f
}

// opMsg builds an OP_MSG with a body and, optionally, one document sequence.
func message(body []byte, sequenceName string, sequence ...[]byte) []byte {
	payload := binary.LittleEndian.AppendUint32(nil, 0) // flags
	payload = append(append(payload, 0), body...)
	if sequenceName != "" {
		var docs []byte
		for _, d := range sequence {
			docs = append(docs, d...)
		}
		section := binary.LittleEndian.AppendUint32(nil, uint32(4+len(sequenceName)+1+len(docs)))
		section = append(append(append(section, sequenceName...), 0), docs...)
		payload = append(append(payload, 1), section...)
	}
	header := make([]byte, headerSize)
	binary.LittleEndian.PutUint32(header[0:], uint32(headerSize+len(payload)))
	binary.LittleEndian.PutUint32(header[12:], opMsg)
	return append(header, payload...)
}

func idKey(b byte) string {
	v := make([]byte, 12)
	v[11] = b
	return string([]byte{typeObjectID}) + string(v)
}

func TestTargetOf(t *testing.T) {
	byID := func(b byte) []byte {
		return doc(sub("q", doc(oid("_id", b), str("state", "pending"))), sub("u", doc()))
	}
	byState := doc(sub("q", doc(str("state", "pending"))), sub("u", doc()))
	cases := []struct {
		name string
		msg  []byte
		want *Target
	}{
		{"an update by _id, statements as a document sequence, names that document",
			message(doc(str("update", "checkins"), str("$db", "app")), "updates", byID(2)),
			&Target{Collection: "app.checkins", Statements: 1, IDs: []string{idKey(2)}}},
		{"a bulk of updates by _id names each document once, sorted",
			message(doc(str("update", "alerts"), str("$db", "app")), "updates", byID(3), byID(1), byID(3)),
			&Target{Collection: "app.alerts", Statements: 3, IDs: []string{idKey(1), idKey(3)}}},
		{"statements in the body's array are read too",
			message(doc(str("update", "alerts"), arr("updates", byID(4)), str("$db", "app")), ""),
			&Target{Collection: "app.alerts", Statements: 1, IDs: []string{idKey(4)}}},
		{"an update by another field takes the collection",
			message(doc(str("update", "checkins"), str("$db", "app")), "updates", byState),
			&Target{Collection: "app.checkins", Statements: 1}},
		{"a bulk mixing an _id statement with another takes the collection",
			message(doc(str("update", "checkins"), str("$db", "app")), "updates", byID(1), byState),
			&Target{Collection: "app.checkins", Statements: 2}},
		{"an _id given as an operator ($in) takes the collection",
			message(doc(str("update", "checkins"), str("$db", "app")), "updates", doc(sub("q", doc(sub("_id", doc(arr("$in", doc()))))))),
			&Target{Collection: "app.checkins", Statements: 1}},
		{"a numeric _id takes the collection (1 and 1.0 are one _id)",
			message(doc(str("update", "c"), str("$db", "app")), "updates", doc(sub("q", doc(i32("_id", 1))))),
			&Target{Collection: "app.c", Statements: 1}},
		{"a filter naming _id twice takes the collection",
			message(doc(str("update", "c"), str("$db", "app")), "updates", doc(sub("q", doc(oid("_id", 1), oid("_id", 2))))),
			&Target{Collection: "app.c", Statements: 1}},
		{"a delete by _id names that document",
			message(doc(str("delete", "outbox"), str("$db", "app")), "deletes", doc(sub("q", doc(oid("_id", 9))), i32("limit", 1))),
			&Target{Collection: "app.outbox", Statements: 1, IDs: []string{idKey(9)}}},
		{"a findAndModify by string _id names that document",
			message(doc(str("findAndModify", "sessions"), sub("query", doc(str("_id", "abc"))), str("$db", "app")), ""),
			&Target{Collection: "app.sessions", Statements: 1, IDs: []string{string([]byte{typeString}) + "\x04\x00\x00\x00abc\x00"}}},
		{"a findAndModify without a query takes the collection",
			message(doc(str("findAndModify", "sessions"), str("$db", "app")), ""),
			&Target{Collection: "app.sessions", Statements: 1}},
		{"a findAndModify whose query is repeated takes the collection",
			message(doc(str("findAndModify", "s"), sub("query", doc(oid("_id", 1))), sub("query", doc(oid("_id", 2))), str("$db", "app")), ""),
			&Target{Collection: "app.s", Statements: 1}},
		{"statements both in the body and as a sequence cannot be read",
			message(doc(str("update", "c"), arr("updates", byID(1)), str("$db", "app")), "updates", byID(2)), nil},
		{"a command without $db cannot be read",
			message(doc(str("update", "c")), "updates", byID(1)), nil},
		{"a repeated $db cannot be read",
			message(doc(str("update", "c"), str("$db", "a"), str("$db", "b")), "updates", byID(1)), nil},
		{"a statement without q cannot be read",
			message(doc(str("update", "c"), str("$db", "app")), "updates", doc(sub("u", doc()))), nil},
		{"another command cannot be read",
			message(doc(str("insert", "c"), str("$db", "app")), "documents", doc()), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := TargetOf(c.msg); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

func TestTargetOfRejectsEveryTruncation(t *testing.T) {
	msg := message(doc(str("update", "checkins"), str("$db", "app")), "updates",
		doc(sub("q", doc(oid("_id", 2))), sub("u", doc(sub("$set", doc(str("state", "x")))))))
	for n := 0; n < len(msg); n++ {
		cut := append([]byte(nil), msg[:n]...)
		if n >= 4 {
			binary.LittleEndian.PutUint32(cut, uint32(n))
		}
		if got := TargetOf(cut); got != nil && got.IDs != nil {
			t.Fatalf("a message cut to %d bytes was read as naming documents: %#v", n, got)
		}
	}
}

// holdBoth reports whether two commands' locks were held at the same moment.
func holdBoth(t *testing.T, a, b *Target) bool {
	t.Helper()
	var l Locks
	release := l.Acquire(a)
	acquired := make(chan func(), 1)
	go func() { acquired <- l.Acquire(b) }()
	select {
	case second := <-acquired:
		second()
		release()
		return true
	case <-time.After(50 * time.Millisecond):
		release()
		(<-acquired)()
		return false
	}
}

func TestLocksExclusion(t *testing.T) {
	one := &Target{Collection: "app.c", IDs: []string{"1"}}
	two := &Target{Collection: "app.c", IDs: []string{"2"}}
	both := &Target{Collection: "app.c", IDs: []string{"1", "2"}}
	whole := &Target{Collection: "app.c"}
	other := &Target{Collection: "app.d"}
	if !holdBoth(t, one, two) {
		t.Error("commands on different documents should run at once")
	}
	if holdBoth(t, one, one) {
		t.Error("commands on the same document must not run at once")
	}
	if holdBoth(t, both, two) {
		t.Error("a bulk on documents 1 and 2 must exclude a command on document 2")
	}
	if holdBoth(t, one, whole) || holdBoth(t, whole, one) {
		t.Error("a command on the whole collection must exclude a command on one of its documents")
	}
	if !holdBoth(t, whole, other) {
		t.Error("commands on different collections should run at once")
	}
	if holdBoth(t, nil, other) || holdBoth(t, one, nil) {
		t.Error("an unreadable command must exclude every other write")
	}
}

// Many goroutines increment per-document counters through the locks, mixing single-document,
// bulk, whole-collection and unreadable commands: no increment may be lost, and nothing may
// deadlock (run with -race).
func TestLocksKeepEveryIncrement(t *testing.T) {
	var l Locks
	counters := make([]int, 4)
	var whole int64
	targets := []*Target{
		{Collection: "app.c", IDs: []string{"0"}},
		{Collection: "app.c", IDs: []string{"1"}},
		{Collection: "app.c", IDs: []string{"0", "2"}},
		{Collection: "app.c", IDs: []string{"1", "3"}},
		{Collection: "app.c"},
		nil,
	}
	var wg sync.WaitGroup
	for g := 0; g < 12; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				target := targets[(g+i)%len(targets)]
				release := l.Acquire(target)
				if target == nil || target.IDs == nil {
					for k := range counters {
						counters[k]++
					}
					atomic.AddInt64(&whole, 1)
				} else {
					for _, id := range target.IDs {
						counters[id[0]-'0']++
					}
				}
				release()
			}
		}(g)
	}
	wg.Wait()
	want := []int{0, 0, 0, 0}
	for g := 0; g < 12; g++ {
		for i := 0; i < 300; i++ {
			target := targets[(g+i)%len(targets)]
			if target == nil || target.IDs == nil {
				for k := range want {
					want[k]++
				}
				continue
			}
			for _, id := range target.IDs {
				want[id[0]-'0']++
			}
		}
	}
	if !reflect.DeepEqual(counters, want) {
		t.Fatalf("counters %v, want %v", counters, want)
	}
	if len(l.collections["app.c"].docs) != 0 {
		t.Fatalf("document locks left behind: %d", len(l.collections["app.c"].docs))
	}
}

// Commands on distinct documents run at once only while their connections fit the budget: never
// more than it in use, a command larger than the budget runs alone, and a large command waiting
// is served before smaller ones that came after it (run with -race).
func TestLocksKeepCommandsWithinTheConnectionBudget(t *testing.T) {
	l := Locks{Connections: 10}
	var inUse, peak int64
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				statements := []int{1, 3, 16}[(g+i)%3] // 16 statements: more than the whole budget
				units := int64(min(statements+1, 10))
				release := l.Acquire(&Target{Collection: "app.c", Statements: statements, IDs: []string{string(rune('a' + g))}})
				now := atomic.AddInt64(&inUse, units)
				for {
					old := atomic.LoadInt64(&peak)
					if now <= old || atomic.CompareAndSwapInt64(&peak, old, now) {
						break
					}
				}
				time.Sleep(50 * time.Microsecond)
				atomic.AddInt64(&inUse, -units)
				release()
			}
		}(g)
	}
	wg.Wait()
	if peak > 10 {
		t.Fatalf("%d connections in use at once, budget 10", peak)
	}
	if peak < 4 {
		t.Fatalf("peak %d: commands on distinct documents should have shared the budget", peak)
	}
	if l.used != 0 || len(l.waiting) != 0 {
		t.Fatalf("budget left used %d, %d waiting", l.used, len(l.waiting))
	}

	// First come, first served: a command needing the whole budget, queued behind one holding part of
	// it, goes before a small command that asks after it.
	first := l.Acquire(&Target{Collection: "app.c", Statements: 3, IDs: []string{"x"}})
	order := make(chan string, 2)
	go func() {
		release := l.Acquire(&Target{Collection: "app.c", Statements: 20, IDs: []string{"y"}})
		order <- "large"
		release()
	}()
	for {
		l.mu.Lock()
		queued := len(l.waiting)
		l.mu.Unlock()
		if queued == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	go func() {
		release := l.Acquire(&Target{Collection: "app.c", Statements: 1, IDs: []string{"z"}})
		order <- "small"
		release()
	}()
	time.Sleep(20 * time.Millisecond)
	first()
	if got := <-order; got != "large" {
		t.Fatalf("%s went first: the large command waiting first was passed over", got)
	}
	<-order
}
