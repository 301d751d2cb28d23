/* launch REPORT CMD [ARGS...]: runs CMD and writes to REPORT one JSON object
 *   {"start_ns": <Unix ns just before fork>, "maxrss_kb": <child's peak RSS>, "status": <exit code or -signal>}
 *
 * Why a launcher: Linux carries a parent's peak RSS over fork and exec into
 * the child's ru_maxrss, so a child of the (Python) bench/compare would never
 * report less than the orchestrator's own RSS. Forked from this small
 * program, the floor is this program's RSS (about 1 MB). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: launch REPORT CMD [ARGS...]\n");
    return 2;
  }
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  const pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror("exec");
    _exit(127);
  }
  int status = 0;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) {
    perror("wait4");
    return 2;
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  FILE *f = fopen(argv[1], "w");
  if (f == NULL) {
    perror(argv[1]);
    return 2;
  }
  fprintf(f, "{\"start_ns\":%lld,\"maxrss_kb\":%ld,\"status\":%d}\n",
          (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, ru.ru_maxrss, code);
  fclose(f);
  return code < 0 ? 128 - code : code;
}
