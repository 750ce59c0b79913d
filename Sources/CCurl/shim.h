// Typed wrappers around libcurl's variadic functions, which Swift cannot call directly.
// Each wrapper fixes the type of the variadic argument, so the Swift side cannot pass a
// value of the wrong width (a classic libcurl bug: passing an int where a long is expected).
#ifndef K3SIM_CCURL_SHIM_H
#define K3SIM_CCURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode k3sim_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode k3sim_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode k3sim_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode k3sim_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode k3sim_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }

/// Copies `data` into libcurl (CURL_BLOB_COPY), so the Swift buffer may go away after the call:
/// used for the CA, client certificate and key, which k3sim keeps in memory only.
static inline CURLcode k3sim_setopt_blob(CURL *h, CURLoption o, const void *data, size_t len) {
    struct curl_blob blob;
    blob.data = (void *)data;
    blob.len = len;
    blob.flags = CURL_BLOB_COPY;
    return curl_easy_setopt(h, o, &blob);
}

typedef size_t (*k3sim_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*k3sim_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode k3sim_setopt_write_function(CURL *h, k3sim_data_callback f) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode k3sim_setopt_header_function(CURL *h, k3sim_data_callback f) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, f); }
static inline CURLcode k3sim_setopt_xferinfo_function(CURL *h, k3sim_xferinfo_callback f) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f); }

static inline CURLcode k3sim_global_init(void) { return curl_global_init(CURL_GLOBAL_ALL); }

static inline CURLcode k3sim_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }

#endif
