// A Go libchan peer for side-by-side measurements against libchan.jar echo (see ../README.md):
//
//	echopeer server             Go's own echo: each message's Stream is copied back, {N: 1} goes to its Ret
//	echopeer stream ADDR MIB    one Stream of MIB MiB echoed through the server at ADDR, in MB/s
//	echopeer rr ADDR COUNT      COUNT sequential requests {N, Ret} with a new Ret each, rate and p50/p99
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/docker/libchan"
	"github.com/docker/libchan/spdy"
)

type Req struct {
	Stream io.ReadWriteCloser
	Ret    libchan.Sender
}

type Small struct {
	N   int
	Ret libchan.Sender
}

type Reply struct{ N int }

type zero struct{}

func (zero) Read(p []byte) (int, error) { return len(p), nil }

type rwc struct {
	r    io.Reader
	n    int64
	done chan struct{}
}

func (x *rwc) Read(p []byte) (int, error)  { return x.r.Read(p) }
func (x *rwc) Write(p []byte) (int, error) { x.n += int64(len(p)); return len(p), nil }
func (x *rwc) Close() error                { close(x.done); return nil }

func serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			p, err := spdy.NewSpdyStreamProvider(c, true)
			if err != nil {
				return
			}
			t := spdy.NewTransport(p)
			for {
				r, err := t.WaitReceiveChannel()
				if err != nil {
					return
				}
				go func() {
					for {
						var m map[string]interface{}
						if err := r.Receive(&m); err != nil {
							return
						}
						ret, _ := m["Ret"].(libchan.Sender)
						if s, ok := m["Stream"].(io.ReadWriteCloser); ok {
							go func() { io.Copy(s, s); s.Close() }()
						}
						if ret != nil {
							ret.Send(&Reply{1})
							ret.Close()
						}
					}
				}()
			}
		}()
	}
}

func main() {
	switch os.Args[1] {
	case "server":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		fmt.Println("listening", ln.Addr())
		serve(ln)
	case "stream": // stream ADDR MiB
		mib, _ := strconv.Atoi(os.Args[3])
		c, err := net.Dial("tcp", os.Args[2])
		if err != nil {
			panic(err)
		}
		p, _ := spdy.NewSpdyStreamProvider(c, false)
		t := spdy.NewTransport(p)
		s, err := t.NewSendChannel()
		if err != nil {
			panic(err)
		}
		n := int64(mib) << 20
		x := &rwc{r: io.LimitReader(zero{}, n), done: make(chan struct{})}
		recv, rs := libchan.Pipe()
		start := time.Now()
		if err := s.Send(&Req{Stream: x, Ret: rs}); err != nil {
			panic(err)
		}
		var rep map[string]interface{}
		recv.Receive(&rep)
		<-x.done
		el := time.Since(start)
		fmt.Printf("%d MiB echoed %d bytes in %v: %.1f MB/s\n", mib, x.n, el, float64(x.n)/el.Seconds()/1e6)
	case "rr": // rr ADDR COUNT
		count, _ := strconv.Atoi(os.Args[3])
		c, err := net.Dial("tcp", os.Args[2])
		if err != nil {
			panic(err)
		}
		p, _ := spdy.NewSpdyStreamProvider(c, false)
		t := spdy.NewTransport(p)
		s, err := t.NewSendChannel()
		if err != nil {
			panic(err)
		}
		lat := make([]time.Duration, 0, count)
		start := time.Now()
		for i := 0; i < count; i++ {
			t0 := time.Now()
			recv, rs := libchan.Pipe()
			if err := s.Send(&Small{N: i, Ret: rs}); err != nil {
				panic(err)
			}
			var rep map[string]interface{}
			if err := recv.Receive(&rep); err != nil {
				panic(err)
			}
			lat = append(lat, time.Since(t0))
		}
		el := time.Since(start)
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		fmt.Printf("rr %d in %v: %.0f/s p50 %v p99 %v\n", count, el, float64(count)/el.Seconds(), lat[len(lat)/2], lat[len(lat)*99/100])
	}
}
