// Command ferretdb runs FerretDB v1 (a MongoDB wire-protocol server) for Meshwork's
// embedded database. It is started by src/db/embedded/ferretdb.ts; it is not a production server.
//
// It embeds github.com/FerretDB/FerretDB/ferretdb because `go install .../cmd/ferretdb`
// refuses to build FerretDB v1 as a dependency (see the team's shared DATABASE.md notes).
//
// FerretDB v1 runs update, delete and findAndModify as "read the matching documents, change
// them in Go, write them back by _id", with no check that a document still matches when it
// is written. Concurrent guarded claims then both win, and concurrent $inc lose updates.
// Unless -serialize-writes=false, clients therefore reach FerretDB through a small proxy that
// holds a lock around each such command, which makes each of them atomic as on MongoDB: a
// command on documents named by `_id` locks those documents, any other the whole collection
// (src/db/ferretdb/locks/locks.go says why that is enough).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"

	"meshwork/ferretdb/locks"
)

// shutdownGrace bounds how long open client connections may delay exit after a stop request.
const shutdownGrace = 5 * time.Second

type options struct {
	listen          string
	handler         string
	postgreSQL      string
	sqlite          string
	watchStdin      bool
	serializeWrites bool
	debug           bool
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.listen, "listen", "127.0.0.1:27017", "TCP address to listen on")
	flag.StringVar(&o.handler, "handler", "postgresql", `backend: "postgresql" or "sqlite"`)
	// The URL carries a password, so the launcher passes it in the environment: other local
	// users can read a process's arguments (ps), not its environment.
	flag.StringVar(&o.postgreSQL, "postgresql-url", os.Getenv("FERRETDB_POSTGRESQL_URL"),
		"PostgreSQL URL, e.g. postgres://user:pass@127.0.0.1:5432/ferretdb (default $FERRETDB_POSTGRESQL_URL)")
	flag.StringVar(&o.sqlite, "sqlite-url", "", "SQLite directory URL, e.g. file:/path/to/dir/")
	flag.BoolVar(&o.watchStdin, "exit-on-stdin-close", true, "exit when stdin reaches end of file (parent died)")
	flag.BoolVar(&o.serializeWrites, "serialize-writes", true,
		"make update, delete and findAndModify atomic: each holds a lock on the documents it names by _id, or on its collection")
	flag.BoolVar(&o.debug, "debug", false, "log at debug level")
	flag.Parse()
	return o
}

func main() {
	o := parseFlags()
	level := slog.LevelInfo
	if o.debug {
		level = slog.LevelDebug
	}
	// stdout stays quiet; the parent reads stderr into its own logger.
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	if err := run(o, logger); err != nil {
		logger.Error("ferretdb failed", "error", err)
		os.Exit(1)
	}
}

func run(o options, logger *slog.Logger) error {
	if err := checkBackend(o); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if o.watchStdin {
		ctx = cancelOnStdinClose(ctx, logger)
	}
	go exitIfShutdownHangs(ctx, logger)

	if !o.serializeWrites {
		return runFerretDB(ctx, o, ferretdb.ListenerConfig{TCP: o.listen}, logger)
	}
	return runBehindProxy(ctx, o, logger)
}

func checkBackend(o options) error {
	switch {
	case o.handler == "postgresql" && o.postgreSQL == "":
		return fmt.Errorf("-postgresql-url (or FERRETDB_POSTGRESQL_URL) is required with -handler postgresql")
	case o.handler == "sqlite" && o.sqlite == "":
		return fmt.Errorf("-sqlite-url is required with -handler sqlite")
	case o.handler != "postgresql" && o.handler != "sqlite":
		return fmt.Errorf("unknown -handler %q", o.handler)
	}
	return nil
}

func newFerretDB(o options, listener ferretdb.ListenerConfig, logger *slog.Logger) (*ferretdb.FerretDB, error) {
	return ferretdb.New(&ferretdb.Config{
		Listener:      listener,
		Logger:        logger,
		Handler:       o.handler,
		PostgreSQLURL: o.postgreSQL,
		SQLiteURL:     o.sqlite,
	})
}

func runFerretDB(ctx context.Context, o options, listener ferretdb.ListenerConfig, logger *slog.Logger) error {
	f, err := newFerretDB(o, listener, logger)
	if err != nil {
		return err
	}
	logger.Info("listening", "uri", f.MongoDBURI(), "handler", o.handler)
	return f.Run(ctx)
}

// runBehindProxy puts FerretDB on a private loopback port (chosen by the kernel) and the
// proxy on the public address. (A Unix socket would leave its folder behind after a SIGKILL.)
func runBehindProxy(ctx context.Context, o options, logger *slog.Logger) error {
	f, err := newFerretDB(o, ferretdb.ListenerConfig{TCP: "127.0.0.1:0"}, logger)
	if err != nil {
		return err
	}
	backend := strings.TrimSuffix(strings.TrimPrefix(f.MongoDBURI(), "mongodb://"), "/")
	public, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	logger.Info("listening", "uri", "mongodb://"+public.Addr().String()+"/", "handler", o.handler, "serializeWrites", true)

	p := &proxy{backend: backend, logger: logger, stats: map[string]*commandStats{}}
	go p.serve(ctx, public)
	// Profiling only (npm run bench -- --cpu-prof): where a write's time goes, waiting for the
	// lock or inside FerretDB, written to this file once a second.
	if file := os.Getenv("FERRETDB_PROXY_STATS"); file != "" {
		go p.writeStats(ctx, file)
	}
	return f.Run(ctx)
}

// cancelOnStdinClose ties our life to the parent's: the parent holds the write end of our
// stdin pipe, and the kernel closes it however the parent dies (even SIGKILL), so we never
// outlive it as an orphan holding the port and the database.
func cancelOnStdinClose(parent context.Context, logger *slog.Logger) context.Context {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		logger.Info("stdin closed, shutting down")
		cancel()
	}()
	return ctx
}

// exitIfShutdownHangs enforces shutdownGrace: Run waits for every client connection to end.
func exitIfShutdownHangs(ctx context.Context, logger *slog.Logger) {
	<-ctx.Done()
	time.Sleep(shutdownGrace)
	logger.Warn("connections still open after grace period, exiting")
	os.Exit(0)
}

// --- the locking proxy ---

// readModifyWriteCommands are the commands FerretDB v1 implements as read, then write.
var readModifyWriteCommands = map[string]bool{"update": true, "delete": true, "findandmodify": true}

const (
	opReply        = 1
	opUpdate       = 2001
	opInsert       = 2002
	opDelete       = 2006
	opKill         = 2007
	opMsg          = 2013
	headerSize     = 16
	maxMessage     = 48_000_000 // MongoDB's maxMessageSizeBytes
	flagChecksum   = 1 << 0
	flagMoreToCome = 1 << 1
)

type proxy struct {
	backend string
	writes  locks.Locks
	logger  *slog.Logger

	statsMu sync.Mutex
	stats   map[string]*commandStats
}

// commandStats: per command name, how many, nanoseconds waiting for the write lock, and
// nanoseconds from sending the request to FerretDB to its last reply (FerretDB and PostgreSQL).
type commandStats struct {
	Count  int64 `json:"count"`
	WaitNs int64 `json:"waitNs"`
	RunNs  int64 `json:"runNs"`
}

func (p *proxy) record(name string, wait, run time.Duration) {
	p.statsMu.Lock()
	defer p.statsMu.Unlock()
	s := p.stats[name]
	if s == nil {
		s = &commandStats{}
		p.stats[name] = s
	}
	s.Count++
	s.WaitNs += int64(wait)
	s.RunNs += int64(run)
}

func (p *proxy) writeStats(ctx context.Context, file string) {
	for ctx.Err() == nil {
		time.Sleep(time.Second)
		p.statsMu.Lock()
		data, err := json.Marshal(p.stats)
		p.statsMu.Unlock()
		if err == nil {
			_ = os.WriteFile(file+".tmp", data, 0o600)
			_ = os.Rename(file+".tmp", file)
		}
	}
}

func (p *proxy) serve(ctx context.Context, l net.Listener) {
	context.AfterFunc(ctx, func() { _ = l.Close() })
	for {
		client, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			p.logger.Warn("accept failed", "error", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		go p.handle(ctx, client)
	}
}

// handle relays one client connection; MongoDB clients send a request and wait for its reply,
// so messages are relayed one exchange at a time.
func (p *proxy) handle(ctx context.Context, client net.Conn) {
	defer client.Close()
	backend, err := net.Dial("tcp", p.backend)
	if err != nil {
		p.logger.Warn("cannot reach FerretDB", "error", err)
		return
	}
	defer backend.Close()
	stop := context.AfterFunc(ctx, func() { _ = client.Close(); _ = backend.Close() })
	defer stop()

	fromClient, fromBackend := bufio.NewReader(client), bufio.NewReader(backend)
	for {
		request, err := readMessage(fromClient)
		if err != nil {
			return
		}
		if err := p.exchange(request, backend, fromBackend, client); err != nil {
			return
		}
	}
}

func (p *proxy) exchange(request []byte, backend net.Conn, fromBackend *bufio.Reader, client net.Conn) error {
	name := strings.ToLower(commandName(request))
	arrived := time.Now()
	if readModifyWriteCommands[name] {
		release := p.writes.Acquire(locks.TargetOf(request))
		defer release()
	}
	sent := time.Now()
	defer func() { p.record(name, sent.Sub(arrived), time.Since(sent)) }()
	if _, err := backend.Write(request); err != nil {
		return err
	}
	if !expectsReply(request) {
		return nil
	}
	for {
		reply, err := readMessage(fromBackend)
		if err != nil {
			return err
		}
		if _, err := client.Write(reply); err != nil {
			return err
		}
		if !hasFlag(reply, flagMoreToCome) { // more replies follow only for exhaust cursors
			return nil
		}
	}
}

func readMessage(r *bufio.Reader) ([]byte, error) {
	header := make([]byte, headerSize)
	if _, err := io.ReadFull(r, header); err != nil {
		return nil, err
	}
	length := int(int32(binary.LittleEndian.Uint32(header)))
	if length < headerSize || length > maxMessage {
		return nil, fmt.Errorf("bad message length %d", length)
	}
	msg := make([]byte, length)
	copy(msg, header)
	_, err := io.ReadFull(r, msg[headerSize:])
	return msg, err
}

func opCode(msg []byte) int32 {
	return int32(binary.LittleEndian.Uint32(msg[12:16]))
}

func hasFlag(msg []byte, flag uint32) bool {
	return opCode(msg) == opMsg && len(msg) >= headerSize+4 &&
		binary.LittleEndian.Uint32(msg[headerSize:])&flag != 0
}

func expectsReply(msg []byte) bool {
	switch opCode(msg) {
	case opMsg:
		return !hasFlag(msg, flagMoreToCome)
	case opUpdate, opInsert, opDelete, opKill, opReply:
		return false
	default:
		return true
	}
}

// commandName is the first key of an OP_MSG's body section (kind 0), or "" if there is none.
func commandName(msg []byte) string {
	if opCode(msg) != opMsg || len(msg) < headerSize+5 {
		return ""
	}
	end := len(msg)
	if hasFlag(msg, flagChecksum) {
		end -= 4
	}
	for pos := headerSize + 4; pos < end; {
		kind := msg[pos]
		pos++
		if kind == 0 {
			return firstKey(msg[pos:end])
		}
		if kind != 1 || pos+4 > end {
			return ""
		}
		size := int(int32(binary.LittleEndian.Uint32(msg[pos:]))) // a document sequence: skip it
		if size < 4 {
			return ""
		}
		pos += size
	}
	return ""
}

func firstKey(doc []byte) string {
	// int32 length, then the first element: a type byte and a NUL-terminated key.
	if len(doc) < 6 || doc[4] == 0 {
		return ""
	}
	key := doc[5:]
	if i := bytes.IndexByte(key, 0); i >= 0 {
		return string(key[:i])
	}
	return ""
}
