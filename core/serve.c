/*
 * serve.c — `congkhai serve [-C DIR] [--port N]`: the editor's preview.
 *
 * Builds the site, drafts included, into a temporary folder outside the
 * content tree (in /dev/shm when there is one) with base_url set to the server's own address (so a site
 * published under a sub-path previews correctly), serves it on 127.0.0.1
 * with libmicrohttpd, watches the content tree with inotify and rebuilds
 * on every change. Each HTML page gets a small script that asks
 * /__congkhai/status for the build number and the last build's errors:
 * a new successful build reloads the page; a failed one shows its
 * messages over the page (and on the terminal) while the last good site
 * stays served. Draft pages carry a banner. SIGINT or SIGTERM (through a
 * signalfd) stops it and removes the temporary folder.
 *
 * The server thread reads the shared state under a mutex; the main
 * thread owns the builds. Nothing here is a global.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "congkhai.h"
#include "confine.h"

static const char serve_help[] =
	"usage: congkhai serve [-C DIR] [--port N]\n"
	"\n"
	"Build the site (drafts included), serve it on http://127.0.0.1:N/ (default\n"
	"8000), rebuild when a file of the content changes, and reload open pages.\n"
	"Build errors show on the terminal and over the page. Ctrl-C stops it.\n"
	"  -C, --content DIR   content directory (default: found upward, as git does)\n"
	"  -p, --port N        port on 127.0.0.1 (default 8000)\n";

/* Injected before </body> of every HTML page. */
static const char reload_js[] =
	"<script>(function(){var v=null;"
	"function show(e){var d=document.getElementById('__congkhai');"
	"if(!e){if(d)d.remove();return}"
	"if(!d){d=document.createElement('pre');d.id='__congkhai';d.setAttribute('role','alert');"
	"d.style.cssText='position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;"
	"padding:1em;background:#5c0000;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap;z-index:2147483647';"
	"document.body.appendChild(d)}d.textContent=e}"
	"function poll(){fetch('/__congkhai/status',{cache:'no-store'}).then(function(r){return r.json()})"
	".then(function(s){if(v!==null&&s.version!==v){location.reload();return}v=s.version;show(s.errors);"
	"setTimeout(poll,400)}).catch(function(){setTimeout(poll,1000)})}poll()})();</script>\n";

struct preview {
	pthread_mutex_t lock;
	int version;              /* successful builds so far */
	char *errors;             /* the last build's messages when it failed, else NULL */
	char **drafts;            /* URLs of draft pages in the served build */
	size_t ndrafts;
	char *root;               /* the output folder being served */
	const char *banner;       /* the draft banner, in the site's language */
};

static const char *
mime(const char *path)
{
	static const char *const t[][2] = {
		{ ".html", "text/html; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" }, { ".json", "application/json" },
		{ ".xml", "application/xml; charset=utf-8" }, { ".txt", "text/plain; charset=utf-8" },
		{ ".svg", "image/svg+xml" }, { ".png", "image/png" }, { ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" }, { ".pdf", "application/pdf" }, { ".ico", "image/x-icon" },
		{ ".sqlite", "application/vnd.sqlite3" } };
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof t / sizeof *t; i++)
		if (strcmp(dot, t[i][0]) == 0)
			return t[i][1];
	return "application/octet-stream";
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned code, const char *type, char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	enum MHD_Result ok = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result
status_json(struct MHD_Connection *c, struct preview *pv)
{
	struct buf b = {0};
	pthread_mutex_lock(&pv->lock);
	buf_printf(&b, "{\"version\":%d,\"errors\":", pv->version);
	if (pv->errors)
		json_escape(&b, pv->errors, strlen(pv->errors));
	else
		buf_puts(&b, "null");
	pthread_mutex_unlock(&pv->lock);
	buf_putc(&b, '}');
	size_t n = b.len;
	return reply(c, MHD_HTTP_OK, "application/json", buf_steal(&b), n);
}

/* The HTML page with the reload script, and the draft banner when url is a draft's. */
static char *
inject(struct preview *pv, const char *url, char *html, size_t *len)
{
	int draft = 0;
	pthread_mutex_lock(&pv->lock);
	for (size_t i = 0; i < pv->ndrafts; i++)
		draft |= strcmp(pv->drafts[i], url) == 0;
	pthread_mutex_unlock(&pv->lock);
	struct buf b = {0};
	char *body = strstr(html, "<body");
	char *open_end = body ? strchr(body, '>') : NULL;
	char *close = strstr(html, "</body>");
	size_t head = open_end ? (size_t)(open_end + 1 - html) : 0;
	buf_add(&b, html, head);
	if (draft)
		buf_printf(&b, "\n<p style=\"margin:0;padding:.5em 1em;background:#ffe08a;color:#000;"
		    "font-weight:bold\" role=\"note\">%s</p>", pv->banner);
	size_t tail = close ? (size_t)(close - html) : *len;
	buf_add(&b, html + head, tail - head);
	buf_puts(&b, reload_js);
	buf_add(&b, html + tail, *len - tail);
	free(html);
	*len = b.len;
	return buf_steal(&b);
}

static enum MHD_Result
handle(void *arg, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_len, void **state)
{
	struct preview *pv = arg;
	(void)version;
	(void)upload;
	(void)upload_len;
	(void)state;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", xstrdup("GET only\n"), 9);
	if (strcmp(url, "/__congkhai/status") == 0)
		return status_json(c, pv);
	/* the file beneath the output: a folder's index.html, a page's URL */
	const char *rel = url + (url[0] == '/');
	char *path = *rel == '\0' || url[strlen(url) - 1] == '/' ? xasprintf("%sindex.html", rel) : xstrdup(rel);
	char *page_url = *rel == '\0' || url[strlen(url) - 1] == '/' ? xstrdup(url) : NULL;
	int rootfd = open(pv->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char *data = NULL;
	size_t len = 0;
	int rc = rootfd >= 0 ? confine_read(rootfd, path, 256u << 20, &data, &len) : -1;
	if (rc != 0 && !page_url) {                /* /thu-tuc/x → /thu-tuc/x/ */
		char *dir = xasprintf("%s/index.html", path);
		if (confine_read(rootfd, dir, 256u << 20, &data, &len) == 0) {
			rc = 0;
			free(path);
			path = dir;
			page_url = xasprintf("%s/", url);
		} else
			free(dir);
	}
	if (rc != 0 && rootfd >= 0 && confine_read(rootfd, "404.html", 1u << 20, &data, &len) == 0) {
		free(path);
		path = xstrdup("404.html");
		rc = 1;
	}
	if (rootfd >= 0)
		close(rootfd);
	if (rc < 0) {
		free(path);
		free(page_url);
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", xstrdup("not found\n"), 10);
	}
	const char *type = mime(path);
	if (strncmp(type, "text/html", 9) == 0)
		data = inject(pv, page_url ? page_url : url, data, &len);
	enum MHD_Result r = reply(c, rc == 1 ? MHD_HTTP_NOT_FOUND : MHD_HTTP_OK, type, data, len);
	free(path);
	free(page_url);
	return r;
}

/* ------------------------------------------------------------ watching */

/* Watch dir and every folder under it (dot-folders skipped). */
static void
watch_tree(int fd, const char *dir)
{
	char **todo = xmalloc(sizeof *todo);
	size_t n = 1;
	todo[0] = xstrdup(dir);
	while (n) {
		char *d = todo[--n];
		inotify_add_watch(fd, d, IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE |
		    IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_ONLYDIR);
		int dfd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			struct stat st;
			DIR *dp = fdopendir(dfd);
			struct dirent *e;
			while (dp && (e = readdir(dp)) != NULL) {
				if (e->d_name[0] == '.')
					continue;
				if (fstatat(dirfd(dp), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
					todo = xrealloc(todo, (n + 1) * sizeof *todo);
					todo[n++] = xasprintf("%s/%s", d, e->d_name);
				}
			}
			if (dp)
				closedir(dp);
			else
				close(dfd);
		}
		free(d);
	}
	free(todo);
}

/* ------------------------------------------------------------ building */

/* One build into out, its stderr kept: printed, and returned on failure. */
static int
rebuild(struct preview *pv, const char *content, const char *out, const char *base, char **errors)
{
	fflush(stderr);
	int saved = dup(2), mem = memfd_create("congkhai-serve", MFD_CLOEXEC);
	if (mem >= 0)
		dup2(mem, 2);
	struct site *s = site_new(content);
	s->out_dir = xstrdup(out);
	s->drafts = 1;
	s->jobs = 2;
	s->diag.quiet = 1;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = site_build(s, base);
	if (rc != EXIT_OK) {
		diag_summary(&s->diag);
		fprintf(stderr, "%s\n", tr("build failed; the previous site is unchanged"));
	}
	fflush(stderr);
	if (mem >= 0)
		dup2(saved, 2);
	close(saved);
	struct buf msgs = {0};
	if (mem >= 0) {
		char chunk[4096];
		ssize_t r;
		lseek(mem, 0, SEEK_SET);
		while ((r = read(mem, chunk, sizeof chunk)) > 0)
			buf_add(&msgs, chunk, (size_t)r);
		close(mem);
	}
	if (msgs.len)
		fputs(buf_cstr(&msgs), stderr);
	if (rc == EXIT_OK) {
		char **drafts = NULL;
		size_t nd = 0;
		for (size_t i = 0; i < s->npages; i++)
			if (s->pages[i].draft) {
				drafts = xrealloc(drafts, (nd + 1) * sizeof *drafts);
				drafts[nd++] = xstrdup(s->pages[i].url);
			}
		pthread_mutex_lock(&pv->lock);
		for (size_t i = 0; i < pv->ndrafts; i++)
			free(pv->drafts[i]);
		free(pv->drafts);
		pv->drafts = drafts;
		pv->ndrafts = nd;
		pthread_mutex_unlock(&pv->lock);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		fprintf(stderr, tr("built in %.0f ms"),
		    (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
		fputc('\n', stderr);
	}
	*errors = rc == EXIT_OK ? NULL : buf_steal(&msgs);
	buf_free(&msgs);
	site_free(s);
	return rc;
}

static void
publish(struct preview *pv, int ok, char *errors)
{
	pthread_mutex_lock(&pv->lock);
	free(pv->errors);
	pv->errors = errors;
	if (ok)
		pv->version++;
	pthread_mutex_unlock(&pv->lock);
}

int
cmd_serve(int argc, char **argv)
{
	const char *content = NULL;
	char root[PATH_MAX];
	int port = 8000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(serve_help, stdout);
			return EXIT_OK;
		} else if ((!strcmp(argv[i], "-C") || !strcmp(argv[i], "--content")) && i + 1 < argc) {
			content = argv[++i];
		} else if ((!strcmp(argv[i], "-p") || !strcmp(argv[i], "--port")) && i + 1 < argc) {
			char *end;
			long p = strtol(argv[++i], &end, 10);
			if (*end || p < 1 || p > 65535) {
				fprintf(stderr, "congkhai serve: %s\n", tr("--port takes a number from 1 to 65535"));
				return EXIT_USAGE;
			}
			port = (int)p;
		} else {
			fputs(serve_help, stderr);
			return EXIT_USAGE;
		}
	}
	if (!content)
		content = site_default_dir(root, sizeof root);
	/* in memory when it can be (tmpfs): a rebuild writes every file again */
	struct stat shm;
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%s/congkhai-serve-XXXXXX",
	    stat("/dev/shm", &shm) == 0 && S_ISDIR(shm.st_mode) && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "congkhai serve: %s\n", strerror(errno));
		return EXIT_INTERNAL;
	}
	char *out = xasprintf("%s/site", tmp);
	char *base = xasprintf("http://127.0.0.1:%d/", port);
	struct preview pv = { .lock = PTHREAD_MUTEX_INITIALIZER, .root = out };
	struct site *probe = site_new(content);      /* the banner in the site's language */
	site_load_config(probe, NULL);
	pv.banner = probe->language && !strcmp(probe->language, "en") ?
	    "Draft: not published. Only this preview shows it." :
	    "Bản nháp: chưa công khai. Chỉ bản xem trước này hiển thị trang này.";
	site_free(probe);

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);      /* before MHD's threads start */
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC);

	char *errors;
	int rc = rebuild(&pv, content, out, base, &errors);
	publish(&pv, rc == EXIT_OK, errors);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
	    (uint16_t)port, NULL, NULL, handle, &pv, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_END);
	int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (!d || ifd < 0 || sfd < 0) {
		fprintf(stderr, "congkhai serve: %s %d\n", tr("cannot listen on 127.0.0.1, port"), port);
		rc = EXIT_USAGE;
	} else {
		watch_tree(ifd, content);
		printf(tr("Serving %s on %s (drafts shown); Ctrl-C stops."), content, base);
		putchar('\n');
		fflush(stdout);
		rc = EXIT_OK;
		for (;;) {
			struct pollfd fds[2] = { { ifd, POLLIN, 0 }, { sfd, POLLIN, 0 } };
			if (poll(fds, 2, -1) < 0 && errno != EINTR)
				break;
			if (fds[1].revents)
				break;
			if (!fds[0].revents)
				continue;
			char ev[8192];
			do {                               /* settle: editors write in bursts */
				while (read(ifd, ev, sizeof ev) > 0)
					;
			} while (poll(fds, 1, 80) > 0);
			watch_tree(ifd, content);          /* new folders too */
			int brc = rebuild(&pv, content, out, base, &errors);
			publish(&pv, brc == EXIT_OK, errors);
		}
	}
	if (d)
		MHD_stop_daemon(d);
	if (ifd >= 0)
		close(ifd);
	if (sfd >= 0)
		close(sfd);
	output_remove(tmp);
	for (size_t i = 0; i < pv.ndrafts; i++)
		free(pv.drafts[i]);
	free(pv.drafts);
	free(pv.errors);
	free(out);
	free(base);
	return rc;
}
