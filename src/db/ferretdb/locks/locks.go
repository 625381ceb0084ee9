// Package locks makes FerretDB v1's read-modify-write commands atomic without running every
// one of them alone.
//
// FerretDB v1 runs update, delete and findAndModify as "read the matching documents, change them
// in Go, write them back by _id", with no check that a document still matches when it is written:
// two guarded claims of one document both win, two $inc of one counter lose one. The proxy in
// src/db/ferretdb/main.go therefore holds a lock around each such command, taken here:
//
//   - a command whose every statement filters on one top-level `_id` equal to a string or an
//     ObjectId can only read and write those documents (an upsert creates that `_id` and no other),
//     so it holds the collection's shared lock and one lock per `_id`, taken in sorted order (two
//     commands on the same documents never wait for each other in a cycle);
//   - any other command on a collection (a filter on other fields, an `_id` range, a bulk mixing
//     both) holds the collection alone: it may touch any document of it;
//   - a command the proxy cannot read holds every write lock, as before this package existed.
//
// Reads and inserts take no lock, as before: a find never sees a half-applied update (FerretDB
// writes each document in one PostgreSQL statement), and inserts are made unique by PostgreSQL's
// unique indexes. Locks are ordered whole proxy → collection → documents → connections, so no
// cycle can form.
//
// Connections: FerretDB v1 keeps the PostgreSQL connection of each statement's read until the whole
// command ends (internal/handler/msg_update.go defers every statement's iterator close), and its pool
// holds 50. A command of about 50 statements therefore waits forever for a connection it holds
// itself, and so do a few commands of 16 running at once (6 concurrent 16-statement bulks on distinct
// documents hung in a test; one at a time, as the old single lock ran them, they never did). So
// read-modify-write commands also take one unit per statement plus one from a budget below the pool
// (DefaultConnections): together they never hold more than it, and reads, which never wait for a
// second connection while holding one, always leave. The service keeps its bulks at 16 statements
// (src/safety/bulk.ts); a larger command is capped at the whole budget and runs alone.
package locks

import (
	"bytes"
	"encoding/binary"
	"errors"
	"sort"
	"strings"
	"sync"
)

// Target is what one read-modify-write command may write.
type Target struct {
	// Collection is "database.collection".
	Collection string
	// Statements is how many statements the command carries (1 for findAndModify).
	Statements int
	// IDs are the documents' `_id` keys (BSON type byte and value), sorted and without repeats;
	// nil when the command may touch any document of the collection.
	IDs []string
}

// DefaultConnections is the connection budget of read-modify-write commands running at once: below
// FerretDB's pool of 50, leaving room for reads and inserts.
const DefaultConnections = 40

// Locks holds the proxy's write locks. The zero value is ready to use.
type Locks struct {
	// Connections is the budget shared by the read-modify-write commands running at once
	// (0: DefaultConnections). Set before first use.
	Connections int

	all         sync.RWMutex // held alone by a command the proxy cannot read
	mu          sync.Mutex   // guards collections and every collection's docs, and the budget
	collections map[string]*collection
	used        int
	waiting     []*budgetWaiter // first come, first served: a large command is not starved
}

type budgetWaiter struct {
	units int
	ready chan struct{}
}

type collection struct {
	rw   sync.RWMutex // shared: commands on single documents; alone: every other command
	docs map[string]*document
}

type document struct {
	sync.Mutex
	holders int // commands holding or waiting for this lock; the entry is dropped at 0
}

// Acquire waits for the locks a command needs and returns the function that releases them.
// A nil target means the command could not be read: it gets every write lock (no other
// read-modify-write command runs beside it, so it needs no connection budget).
func (l *Locks) Acquire(t *Target) (release func()) {
	if t == nil {
		l.all.Lock()
		return l.all.Unlock
	}
	l.all.RLock()
	c := l.collection(t.Collection)
	if t.IDs == nil {
		c.rw.Lock()
		units := l.takeConnections(t.Statements)
		return func() { l.giveConnections(units); c.rw.Unlock(); l.all.RUnlock() }
	}
	c.rw.RLock()
	held := make([]*document, len(t.IDs))
	for i, id := range t.IDs { // sorted: see the package comment
		held[i] = l.document(c, id)
		held[i].Lock()
	}
	units := l.takeConnections(t.Statements)
	return func() {
		l.giveConnections(units)
		for i := len(held) - 1; i >= 0; i-- {
			held[i].Unlock()
			l.dropDocument(c, t.IDs[i])
		}
		c.rw.RUnlock()
		l.all.RUnlock()
	}
}

func (l *Locks) budget() int {
	if l.Connections > 0 {
		return l.Connections
	}
	return DefaultConnections
}

// takeConnections waits for a command's share of the budget: a connection per statement and one
// more for its writes, at most the whole budget.
func (l *Locks) takeConnections(statements int) int {
	budget := l.budget()
	units := min(max(statements, 1)+1, budget)
	l.mu.Lock()
	if len(l.waiting) == 0 && l.used+units <= budget {
		l.used += units
		l.mu.Unlock()
		return units
	}
	w := &budgetWaiter{units: units, ready: make(chan struct{})}
	l.waiting = append(l.waiting, w)
	l.mu.Unlock()
	<-w.ready // giveConnections counted it as used
	return units
}

func (l *Locks) giveConnections(units int) {
	budget := l.budget()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.used -= units
	for len(l.waiting) > 0 && l.used+l.waiting[0].units <= budget {
		w := l.waiting[0]
		l.waiting = l.waiting[1:]
		l.used += w.units
		close(w.ready)
	}
}

func (l *Locks) collection(name string) *collection {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.collections == nil {
		l.collections = map[string]*collection{}
	}
	c := l.collections[name]
	if c == nil {
		c = &collection{docs: map[string]*document{}}
		l.collections[name] = c
	}
	return c
}

func (l *Locks) document(c *collection, id string) *document {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := c.docs[id]
	if d == nil {
		d = &document{}
		c.docs[id] = d
	}
	d.holders++
	return d
}

func (l *Locks) dropDocument(c *collection, id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := c.docs[id]
	d.holders--
	if d.holders == 0 {
		delete(c.docs, id)
	}
}

// --- reading the command ---

const (
	headerSize   = 16
	opMsg        = 2013
	flagChecksum = 1 << 0
)

var errMalformed = errors.New("malformed message")

// TargetOf reads what an update, delete or findAndModify OP_MSG may write. It returns nil for
// anything it cannot read with certainty (the caller then takes every lock).
func TargetOf(msg []byte) *Target {
	body, sequences, err := sections(msg)
	if err != nil || body == nil {
		return nil
	}
	elements, err := readDocument(body)
	if err != nil || len(elements) == 0 || elements[0].typ != typeString {
		return nil
	}
	command := strings.ToLower(elements[0].key)
	coll, ok := stringValue(elements[0])
	if !ok {
		return nil
	}
	db, ok := stringField(elements, "$db")
	if !ok {
		return nil
	}
	var filters [][]byte
	switch command {
	case "update", "delete":
		list := "updates"
		if command == "delete" {
			list = "deletes"
		}
		statements, ok := statementsOf(elements, sequences, list)
		if !ok {
			return nil
		}
		if len(statements) == 0 {
			return nil
		}
		for _, statement := range statements {
			fields, err := readDocument(statement)
			if err != nil {
				return nil
			}
			q, found := documentField(fields, "q")
			if !found {
				return nil
			}
			filters = append(filters, q)
		}
	case "findandmodify":
		q, found := documentField(elements, "query")
		if !found {
			return &Target{Collection: db + "." + coll, Statements: 1} // no query: any document
		}
		filters = append(filters, q)
	default:
		return nil
	}
	target := &Target{Collection: db + "." + coll, Statements: len(filters)}
	ids := make([]string, 0, len(filters))
	for _, filter := range filters {
		id, ok := singleID(filter)
		if !ok {
			return target // one statement may touch any document: the collection alone
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return target
	}
	sort.Strings(ids)
	target.IDs = ids[:1]
	for _, id := range ids[1:] {
		if id != target.IDs[len(target.IDs)-1] {
			target.IDs = append(target.IDs, id)
		}
	}
	return target
}

// sections splits an OP_MSG into its body (kind 0) and its document sequences (kind 1) by name.
func sections(msg []byte) ([]byte, map[string][][]byte, error) {
	if len(msg) < headerSize+5 || int32(binary.LittleEndian.Uint32(msg[12:16])) != opMsg {
		return nil, nil, errMalformed
	}
	end := len(msg)
	if binary.LittleEndian.Uint32(msg[headerSize:])&flagChecksum != 0 {
		end -= 4
	}
	var body []byte
	sequences := map[string][][]byte{}
	for pos := headerSize + 4; pos < end; {
		kind := msg[pos]
		pos++
		switch kind {
		case 0:
			size, err := documentSize(msg[pos:end])
			if err != nil || body != nil {
				return nil, nil, errMalformed
			}
			body = msg[pos : pos+size]
			pos += size
		case 1:
			if pos+4 > end {
				return nil, nil, errMalformed
			}
			size := int(int32(binary.LittleEndian.Uint32(msg[pos:])))
			if size < 5 || pos+size > end {
				return nil, nil, errMalformed
			}
			section := msg[pos+4 : pos+size]
			nul := bytes.IndexByte(section, 0)
			if nul < 0 {
				return nil, nil, errMalformed
			}
			name := string(section[:nul])
			if _, repeated := sequences[name]; repeated {
				return nil, nil, errMalformed
			}
			var docs [][]byte
			for rest := section[nul+1:]; len(rest) > 0; {
				n, err := documentSize(rest)
				if err != nil {
					return nil, nil, errMalformed
				}
				docs = append(docs, rest[:n])
				rest = rest[n:]
			}
			sequences[name] = docs
			pos += size
		default:
			return nil, nil, errMalformed
		}
	}
	return body, sequences, nil
}

// statementsOf finds a command's statements: in the body as an array, or as a document sequence,
// never both.
func statementsOf(body []element, sequences map[string][][]byte, name string) ([][]byte, bool) {
	sequence, inSequence := sequences[name]
	var inBody *element
	for i := range body {
		if body[i].key == name {
			if inBody != nil {
				return nil, false
			}
			inBody = &body[i]
		}
	}
	switch {
	case inSequence && inBody == nil:
		return sequence, true
	case !inSequence && inBody != nil && inBody.typ == typeArray:
		items, err := readDocument(inBody.value)
		if err != nil {
			return nil, false
		}
		docs := make([][]byte, 0, len(items))
		for _, item := range items {
			if item.typ != typeDocument {
				return nil, false
			}
			docs = append(docs, item.value)
		}
		return docs, true
	default:
		return nil, false
	}
}

// singleID is the key of a filter's `_id` when the filter names exactly one document: one
// top-level `_id` equal to a string or an ObjectId. (Numbers are left out: 1, 1.0 and 1L are one
// `_id` to the database but three different byte strings here.)
func singleID(filter []byte) (string, bool) {
	fields, err := readDocument(filter)
	if err != nil {
		return "", false
	}
	var id *element
	for i := range fields {
		if fields[i].key == "_id" {
			if id != nil {
				return "", false
			}
			id = &fields[i]
		}
	}
	if id == nil || (id.typ != typeString && id.typ != typeObjectID) {
		return "", false
	}
	return string([]byte{id.typ}) + string(id.value), true
}

// --- a minimal BSON reader: enough to walk documents and read strings ---

const (
	typeDouble     = 0x01
	typeString     = 0x02
	typeDocument   = 0x03
	typeArray      = 0x04
	typeBinary     = 0x05
	typeUndefined  = 0x06
	typeObjectID   = 0x07
	typeBool       = 0x08
	typeDateTime   = 0x09
	typeNull       = 0x0A
	typeRegex      = 0x0B
	typeDBPointer  = 0x0C
	typeJavaScript = 0x0D
	typeSymbol     = 0x0E
	typeCodeScope  = 0x0F
	typeInt32      = 0x10
	typeTimestamp  = 0x11
	typeInt64      = 0x12
	typeDecimal    = 0x13
	typeMinKey     = 0xFF
	typeMaxKey     = 0x7F
)

type element struct {
	typ   byte
	key   string
	value []byte // the value's bytes as stored (a string keeps its length prefix and NUL)
}

func documentSize(b []byte) (int, error) {
	if len(b) < 5 {
		return 0, errMalformed
	}
	size := int(int32(binary.LittleEndian.Uint32(b)))
	if size < 5 || size > len(b) || b[size-1] != 0 {
		return 0, errMalformed
	}
	return size, nil
}

// readDocument lists a document's top-level elements; any inconsistency is an error.
func readDocument(doc []byte) ([]element, error) {
	size, err := documentSize(doc)
	if err != nil || size != len(doc) {
		return nil, errMalformed
	}
	var out []element
	for pos := 4; pos < size-1; {
		typ := doc[pos]
		pos++
		nul := bytes.IndexByte(doc[pos:size-1], 0)
		if nul < 0 {
			return nil, errMalformed
		}
		key := string(doc[pos : pos+nul])
		pos += nul + 1
		n, err := valueSize(typ, doc[pos:size-1])
		if err != nil {
			return nil, err
		}
		out = append(out, element{typ: typ, key: key, value: doc[pos : pos+n]})
		pos += n
	}
	return out, nil
}

func valueSize(typ byte, b []byte) (int, error) {
	fixed := func(n int) (int, error) {
		if n > len(b) {
			return 0, errMalformed
		}
		return n, nil
	}
	lengthPrefixed := func(extra int) (int, error) { // int32 length, then that many bytes (+ extra)
		if len(b) < 4 {
			return 0, errMalformed
		}
		n := int(int32(binary.LittleEndian.Uint32(b)))
		if n < 0 {
			return 0, errMalformed
		}
		return fixed(4 + extra + n)
	}
	switch typ {
	case typeUndefined, typeNull, typeMinKey, typeMaxKey:
		return 0, nil
	case typeBool:
		return fixed(1)
	case typeInt32:
		return fixed(4)
	case typeDouble, typeDateTime, typeTimestamp, typeInt64:
		return fixed(8)
	case typeObjectID:
		return fixed(12)
	case typeDecimal:
		return fixed(16)
	case typeString, typeJavaScript, typeSymbol:
		n, err := lengthPrefixed(0)
		if err != nil || n < 5 || b[n-1] != 0 {
			return 0, errMalformed
		}
		return n, nil
	case typeBinary:
		return lengthPrefixed(1)
	case typeDBPointer:
		n, err := lengthPrefixed(0)
		if err != nil {
			return 0, err
		}
		return fixed(n + 12)
	case typeDocument, typeArray, typeCodeScope:
		return documentSize(b)
	case typeRegex:
		first := bytes.IndexByte(b, 0)
		if first < 0 {
			return 0, errMalformed
		}
		second := bytes.IndexByte(b[first+1:], 0)
		if second < 0 {
			return 0, errMalformed
		}
		return first + second + 2, nil
	default:
		return 0, errMalformed
	}
}

func stringValue(e element) (string, bool) {
	if e.typ != typeString || len(e.value) < 5 {
		return "", false
	}
	return string(e.value[4 : len(e.value)-1]), true
}

// stringField is a string field's value; absent, not a string or repeated (which value would
// FerretDB use?) is not ok.
func stringField(elements []element, key string) (string, bool) {
	var matches []element
	for _, e := range elements {
		if e.key == key {
			matches = append(matches, e)
		}
	}
	if len(matches) != 1 {
		return "", false
	}
	return stringValue(matches[0])
}

// documentField finds a field that should be a document; found is false if it is absent. A field
// that is not a document, or is repeated, is reported as found with an empty value, which
// singleID refuses: the command then holds the whole collection.
func documentField(elements []element, key string) (doc []byte, found bool) {
	for _, e := range elements {
		if e.key != key {
			continue
		}
		if found || e.typ != typeDocument {
			return []byte{}, true
		}
		doc, found = e.value, true
	}
	return doc, found
}
