package plexauth

// The binding's declarations against the header it is built with. cgo compiles
// ffi_gen.go's typed call of every header function, so a signature that
// differs does not build (TestMutatedDeclarationDoesNotBuild shows it); these
// tests add that the generated list is the header's (a stale ffi_gen.go) and
// that every header function but the few in cNotWrapped is used by the
// binding's own code.

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// headerPath is the plexauth.h cgo compiles against: from pkg-config's -I
// flags, else the repository's.
func headerPath(t *testing.T) string {
	t.Helper()
	if out, err := exec.Command("pkg-config", "--cflags-only-I", "plexauth").Output(); err == nil {
		for _, flag := range strings.Fields(string(out)) {
			p := filepath.Join(strings.TrimPrefix(flag, "-I"), "plexauth", "plexauth.h")
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	return filepath.Join("..", "..", "include", "plexauth", "plexauth.h")
}

var (
	blockComment = regexp.MustCompile(`(?s)/\*.*?\*/`)
	lineComment  = regexp.MustCompile(`//[^\n]*`)
	directive    = regexp.MustCompile(`(?m)^[ \t]*#(?:[^\n]*\\\n)*[^\n]*`)
	declaration  = regexp.MustCompile(`(?s)^PLEXAUTH_API (.+?)\b(plexauth_\w+)\s*\((.*)\)$`)
	fnPointer    = regexp.MustCompile(`(?s)^.*?\(\s*\*\s*\w+\s*\)\s*\(.*\)$`)
	paramName    = regexp.MustCompile(`(?s)^(.*?[\s*])\w+$`)
	identifier   = regexp.MustCompile(`\w+`)
)

func stripComments(src string) string {
	return lineComment.ReplaceAllString(blockComment.ReplaceAllString(src, " "), "")
}

// cType writes a C type as codegen/cheader.py reduces it: base, constness of
// the pointee, pointer depth.
func cType(text string) string {
	words := strings.Fields(strings.ReplaceAll(text, "*", " * "))
	pointers, isConst, base := 0, false, []string{}
	for _, w := range words {
		switch w {
		case "*":
			pointers++
		case "const":
			isConst = true
		case "struct", "enum":
		default:
			base = append(base, w)
		}
	}
	b := strings.Join(base, " ")
	if b == "unsigned int" {
		b = "unsigned"
	}
	if pointers == 0 {
		return b
	}
	if isConst {
		b = "const " + b
	}
	return b + " " + strings.Repeat("*", pointers)
}

// parseHeader lists the header's functions with their signatures (types only).
func parseHeader(text string) []cFunction {
	src := directive.ReplaceAllString(stripComments(text), "")
	var out []cFunction
	for _, st := range strings.Split(src, ";") {
		st = strings.Join(strings.Fields(st), " ")
		st = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(st, `extern "C" {`), "}"))
		m := declaration.FindStringSubmatch(st)
		if m == nil {
			continue
		}
		var params []string
		depth, cur := 0, ""
		for _, ch := range m[3] + "," {
			switch {
			case ch == '(':
				depth++
			case ch == ')':
				depth--
			case ch == ',' && depth == 0:
				p := strings.TrimSpace(cur)
				cur = ""
				switch {
				case p == "void" || p == "":
				case fnPointer.MatchString(p):
					params = append(params, "fnptr:"+p)
				default:
					if pm := paramName.FindStringSubmatch(p); pm != nil {
						p = pm[1]
					}
					params = append(params, cType(p))
				}
				continue
			}
			cur += string(ch)
		}
		out = append(out, cFunction{m[2], cType(m[1]) + " (" + strings.Join(params, ", ") + ")"})
	}
	return out
}

// bindingSources is the text of the binding's own code (not its tests, not
// ffi_gen.go, which names every function), comments removed.
func bindingSources(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, pattern := range []string{"*.go", "*.c", "*.h"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || f == "ffi_gen.go" {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[f] = stripComments(string(b))
		}
	}
	return out
}

// checkDeclarations compares the binding's function list with the header's,
// and checks that the binding's code uses every function it should wrap.
func checkDeclarations(header, binding []cFunction, notWrapped map[string]string, sources map[string]string) []string {
	var problems []string
	want := map[string]string{}
	for _, f := range header {
		want[f.name] = f.signature
	}
	have := map[string]string{}
	for _, f := range binding {
		have[f.name] = f.signature
		switch sig, ok := want[f.name]; {
		case !ok:
			problems = append(problems, f.name+": declared by the binding, not in the header")
		case sig != f.signature:
			problems = append(problems, f.name+": the binding has "+f.signature+", the header "+sig)
		}
	}
	used := map[string]bool{}
	for _, text := range sources {
		for _, word := range identifier.FindAllString(text, -1) {
			used[word] = true
		}
	}
	for _, f := range header {
		if _, ok := have[f.name]; !ok {
			problems = append(problems, f.name+": in the header, not declared by the binding (rerun codegen/generate.py)")
			continue
		}
		if _, skip := notWrapped[f.name]; !skip && !used[f.name] {
			problems = append(problems, f.name+": not used by the binding (wrap it, or list it in emit_go.NOT_WRAPPED)")
		}
	}
	for name := range notWrapped {
		if _, ok := want[name]; !ok {
			problems = append(problems, name+": listed as not wrapped, not in the header")
		}
	}
	sort.Strings(problems)
	return problems
}

func readHeader(t *testing.T) []cFunction {
	t.Helper()
	b, err := os.ReadFile(headerPath(t))
	if err != nil {
		t.Fatal(err)
	}
	fns := parseHeader(string(b))
	if len(fns) < 100 {
		t.Fatalf("read only %d functions from %s", len(fns), headerPath(t))
	}
	return fns
}

func TestDeclarationsMatchHeader(t *testing.T) {
	for _, p := range checkDeclarations(readHeader(t), cFunctions, cNotWrapped, bindingSources(t)) {
		t.Error(p)
	}
}

func TestDeclarationCheckFailsOnAMismatch(t *testing.T) {
	header, sources := readHeader(t), bindingSources(t)
	mutate := func(f func(fns []cFunction) []cFunction) []cFunction {
		return f(append([]cFunction(nil), cFunctions...))
	}
	cases := map[string]struct {
		binding []cFunction
		sources map[string]string
		want    string
	}{
		"one argument type wrong": {
			binding: mutate(func(fns []cFunction) []cFunction {
				for i, f := range fns {
					if f.name == "plexauth_client_ping" {
						fns[i].signature = strings.Replace(f.signature, "plexauth_client *", "plexauth_config *", 1)
					}
				}
				return fns
			}),
			want: "plexauth_client_ping: the binding has",
		},
		"a function missing": {
			binding: mutate(func(fns []cFunction) []cFunction { return fns[1:] }),
			want:    cFunctions[0].name + ": in the header, not declared",
		},
		"a function not wrapped": {
			binding: cFunctions,
			sources: func() map[string]string {
				out := map[string]string{}
				for k, v := range sources {
					out[k] = strings.ReplaceAll(v, "plexauth_client_ping_start", "plexauth_client_gone")
				}
				return out
			}(),
			want: "plexauth_client_ping_start: not used by the binding",
		},
	}
	for name, c := range cases {
		src := c.sources
		if src == nil {
			src = sources
		}
		problems := checkDeclarations(header, c.binding, cNotWrapped, src)
		if len(problems) != 1 || !strings.HasPrefix(problems[0], c.want) {
			t.Errorf("%s: problems %q, want one starting %q", name, problems, c.want)
		}
	}
}

// TestMutatedDeclarationDoesNotBuild builds a copy of the package whose
// ffi_gen.go passes one wrong argument type: cgo must refuse it.
func TestMutatedDeclarationDoesNotBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a copy of the package")
	}
	dir := t.TempDir()
	for _, pattern := range []string{"*.go", "*.c", "*.h", "go.mod"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if f == "ffi_gen.go" {
				good := "var plexauth_client_ping_1 *C.plexauth_client\n"
				if !strings.Contains(string(b), good) {
					t.Fatalf("ffi_gen.go has no line %q", good)
				}
				b = []byte(strings.Replace(string(b), good, "var plexauth_client_ping_1 *C.plexauth_config\n", 1))
			}
			if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	cmd := exec.Command("go", "build", "./...")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("a call with a wrong argument type built")
	}
	if !strings.Contains(string(out), "plexauth_client_ping") {
		t.Fatalf("the build failed for another reason:\n%s", out)
	}
}

func TestLoadedLibraryIsTheGeneratedVersion(t *testing.T) {
	if v := Version(); v != bindingVersion {
		t.Fatalf("libplexauth %s loaded; the binding was generated for %s", v, bindingVersion)
	}
}
