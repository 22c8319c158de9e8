package dev.lifeboat.store.s3;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;

import dev.lifeboat.store.CallLimits;
import dev.lifeboat.store.ObjectMissingException;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Region;
import dev.lifeboat.store.StoreException;
import dev.lifeboat.store.StoredObject;
import dev.lifeboat.store.VersionedObject;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListMultipartUploadsResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadPartResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import io.minio.messages.Part;
import io.minio.messages.Upload;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The object store of an S3-compatible region (AWS S3, MinIO, Ceph RGW, S3Proxy), through the
 * MinIO client; the only class that knows MinIO. Uploads of unknown length stream in parts of
 * {@link #PART_SIZE}, so memory does not grow with object size.
 *
 * <p>Reliability (see {@link CallLimits}): pooled connections idle for longer than
 * {@code idleTimeout} are evicted and a request that meets a connection the server has closed is
 * sent again on a new one; idempotent calls (GET, HEAD, list, a replayable whole PUT, DELETE) are
 * tried {@code attempts} times with a growing pause; every call has a deadline scaled to its
 * payload, and the readiness probe its own short one.
 */
public class S3ObjectStore implements ObjectStore {
    /** Multipart part size; two part buffers bound the memory of an upload. */
    public static final long PART_SIZE = 16L * 1024 * 1024;

    private static final Set<String> TRANSIENT_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
            "RequestTimeout", "RequestTimeTooSkewed", "OperationAborted");
    /** What a store answers a PUT whose If-None-Match / If-Match does not hold (412, or 409 for a concurrent one). */
    private static final Set<String> PRECONDITION_CODES = Set.of("PreconditionFailed", "ConditionalRequestConflict");
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "object-store-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final Region region;
    private final CallLimits limits;
    private final OkHttpClient http;
    /** Calls without payload: each HTTP exchange bounded by the request timeout. */
    private final MinioClient client;
    /** The readiness probe: bounded by the health timeout. */
    private final MinioClient probe;
    /** Calls with payload: deadlines scaled to the bytes, enforced here. */
    private final MinioAsyncClient asyncClient;

    public S3ObjectStore(Region region) {
        if (region.endpoint() == null || region.bucket() == null) {
            throw new IllegalArgumentException("region " + region.name() + " of type s3 needs an endpoint and a bucket");
        }
        this.region = region;
        this.limits = region.limits();
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if (region.caFile() != null) {
            X509TrustManager trust = trustOf(region);
            builder.sslSocketFactory(sslContext(region, trust).getSocketFactory(), trust);
        }
        this.http = builder
                .connectionPool(new ConnectionPool(5, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .retryOnConnectionFailure(true)
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(2, TimeUnit.MINUTES)
                .writeTimeout(2, TimeUnit.MINUTES)
                .build();
        this.client = minio(http.newBuilder().callTimeout(limits.requestTimeout()).build());
        this.probe = minio(http.newBuilder().callTimeout(limits.healthTimeout()).build());
        MinioAsyncClient.Builder async = MinioAsyncClient.builder()
                .endpoint(region.endpoint())
                .credentials(region.accessKey(), region.secretKey())
                .httpClient(http);
        if (region.signingRegion() != null) {
            async.region(region.signingRegion());
        }
        this.asyncClient = async.build();
    }

    /**
     * Trust in exactly the CA certificates of the region's {@code ca-file}; an unreadable or empty
     * bundle is a configuration error naming the key, never a silent fallback to the default trust.
     */
    private static X509TrustManager trustOf(Region region) {
        String key = "lifeboat.regions." + region.name() + ".ca-file=" + region.caFile();
        try (InputStream in = Files.newInputStream(region.caFile())) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(key + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return Arrays.stream(factory.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance).map(X509TrustManager.class::cast)
                    .findFirst().orElseThrow();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(key + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " cannot be read: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " is not a PEM bundle of CA certificates: " + e.getMessage());
        }
    }

    private static SSLContext sslContext(Region region, X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context for region " + region.name(), e);
        }
    }

    private MinioClient minio(OkHttpClient httpClient) {
        MinioClient.Builder b = MinioClient.builder()
                .endpoint(region.endpoint())
                .credentials(region.accessKey(), region.secretKey())
                .httpClient(httpClient);
        if (region.signingRegion() != null) {
            b.region(region.signingRegion());
        }
        return b.build();
    }

    @Override
    public String regionName() {
        return region.name();
    }

    @Override
    public String location() {
        return region.endpoint() + "/" + region.bucket();
    }

    @Override
    public void ensureBucket() {
        retrying("create bucket", () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(region.bucket()).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(region.bucket()).build());
            }
            return null;
        });
    }

    @Override
    public boolean isReachable() {
        try {
            return probe.bucketExists(BucketExistsArgs.builder().bucket(region.bucket()).build());
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void put(String key, InputStream in, long size, String contentType) {
        if (size < 0) {
            once("put " + key, () -> {
                putPipelined(key, in, contentType);
                return null;
            });
            return;
        }
        // a whole object can be sent again only if its bytes can be read again
        boolean replayable = in.markSupported() && size <= PART_SIZE;
        if (replayable) {
            in.mark((int) size + 1);
        }
        StoreCall<Object> upload = () -> {
            try {
                return await(asyncClient.putObject(PutObjectArgs.builder()
                        .bucket(region.bucket())
                        .object(key)
                        .stream(in, size, -1)
                        .contentType(contentType)
                        .build()), limits.deadlineFor(size), key);
            } catch (Exception e) {
                if (replayable) {
                    in.reset();
                }
                throw e;
            }
        };
        if (replayable) {
            retrying("put " + key, upload);
        } else {
            once("put " + key, upload);
        }
    }

    /**
     * Multipart upload of a stream of unknown length that reads part n+1 while part n is on the
     * wire: the producer (an etcd snapshot stream, another region's object) keeps flowing instead of
     * waiting for every part's round trip. Two part buffers, so memory stays at 2 x PART_SIZE.
     * Any failure aborts the upload: nothing becomes visible under {@code key}.
     */
    private void putPipelined(String key, InputStream in, String contentType) throws Exception {
        Multimap<String, String> headers = HashMultimap.create();
        headers.put("Content-Type", contentType);
        String uploadId = await(asyncClient.createMultipartUploadAsync(region.bucket(), null, key, headers, null),
                limits.requestTimeout(), key).result().uploadId();
        Duration partDeadline = limits.deadlineFor(PART_SIZE);
        byte[][] buffers = {new byte[(int) PART_SIZE], new byte[(int) PART_SIZE]};
        List<Part> parts = new ArrayList<>();
        CompletableFuture<UploadPartResponse> inFlight = null;
        try {
            for (int number = 1; ; number++) {
                byte[] buffer = buffers[number % 2];
                int length = in.readNBytes(buffer, 0, buffer.length);
                if (inFlight != null) {
                    UploadPartResponse done = await(inFlight, partDeadline, key);
                    parts.add(new Part(done.partNumber(), done.etag()));
                    inFlight = null;
                }
                if (length == 0 && number > 1) {
                    break;
                }
                inFlight = asyncClient.uploadPartAsync(region.bucket(), null, key, buffer, length, uploadId, number,
                        null, null);
                if (length < buffer.length) {
                    UploadPartResponse done = await(inFlight, partDeadline, key);
                    parts.add(new Part(done.partNumber(), done.etag()));
                    break;
                }
            }
            await(asyncClient.completeMultipartUploadAsync(region.bucket(), null, key, uploadId,
                    parts.toArray(Part[]::new), null, null), limits.deadlineFor(parts.size() * 100L), key);
        } catch (Exception e) {
            if (inFlight != null) {
                inFlight.cancel(true);
            }
            abort(key, uploadId, e);
            throw e;
        }
    }

    /**
     * Aborts a failed upload even when the failure was an interrupt (a stopping service cuts its
     * streams and interrupts their threads): the abort is bounded by its own deadline, and the
     * interrupt is restored afterwards. An abort that still fails leaves the upload pending until
     * {@link #abortUploadsStartedBefore} finds it.
     */
    private void abort(String key, String uploadId, Exception cause) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + limits.requestTimeout().toNanos();
        try {
            CompletableFuture<?> abort = asyncClient.abortMultipartUploadAsync(region.bucket(), null, key, uploadId,
                    null, null);
            while (true) {
                try {
                    abort.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // honoured once the abort is done
                } catch (TimeoutException e) {
                    abort.cancel(true);
                    cause.addSuppressed(new DeadlineExceededException("abort: no answer within " + limits.requestTimeout()));
                    return;
                }
            }
        } catch (Exception abortFailed) {
            cause.addSuppressed(abortFailed);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public InputStream get(String key) {
        return retrying("get " + key, () -> {
            GetObjectResponse response = await(asyncClient.getObject(GetObjectArgs.builder()
                    .bucket(region.bucket()).object(key).build()), limits.requestTimeout(), key);
            String length = response.headers().get("Content-Length");
            long bytes = length == null ? PART_SIZE : Long.parseLong(length);
            return new DeadlineStream(response, limits.deadlineFor(bytes), key);
        });
    }

    @Override
    public Optional<VersionedObject> getVersioned(String key) {
        try {
            return Optional.of(retrying("get " + key, () -> {
                try (GetObjectResponse response = await(asyncClient.getObject(GetObjectArgs.builder()
                        .bucket(region.bucket()).object(key).build()), limits.requestTimeout(), key)) {
                    return new VersionedObject(response.readAllBytes(), unquoted(response.headers().get("ETag")));
                }
            }));
        } catch (ObjectMissingException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> putIfAbsent(String key, byte[] bytes, String contentType) {
        return conditionalPut(key, bytes, contentType, Map.of("If-None-Match", "*"));
    }

    @Override
    public Optional<String> replaceIfUnchanged(String key, String etag, byte[] bytes, String contentType) {
        return conditionalPut(key, bytes, contentType, Map.of("If-Match", "\"" + unquoted(etag) + "\""));
    }

    /** A whole small PUT with a precondition; empty when the store refused it for that precondition. */
    private Optional<String> conditionalPut(String key, byte[] bytes, String contentType, Map<String, String> condition) {
        try {
            return Optional.ofNullable(retrying("put " + key, () -> {
                try {
                    return unquoted(await(asyncClient.putObject(PutObjectArgs.builder()
                            .bucket(region.bucket())
                            .object(key)
                            .stream(new ByteArrayInputStream(bytes), bytes.length, -1)
                            .contentType(contentType)
                            .headers(condition)
                            .build()), limits.deadlineFor(bytes.length), key).etag());
                } catch (ExecutionException e) {
                    if (unwrap(e) instanceof ErrorResponseException r
                            && PRECONDITION_CODES.contains(r.errorResponse().code())) {
                        return null;
                    }
                    throw e;
                }
            }));
        } catch (ObjectMissingException gone) {
            // If-Match on a key that is not there
            return Optional.empty();
        }
    }

    private static String unquoted(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }

    @Override
    public Optional<StoredObject> stat(String key) {
        try {
            return Optional.of(retrying("stat " + key, () -> {
                StatObjectResponse r = client.statObject(StatObjectArgs.builder()
                        .bucket(region.bucket()).object(key).build());
                return new StoredObject(key, r.size(), r.lastModified().toInstant());
            }));
        } catch (ObjectMissingException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return list(prefix, null);
    }

    @Override
    public List<StoredObject> list(String prefix, String startAfter) {
        return retrying("list " + prefix + (startAfter == null ? "" : " after " + startAfter), () -> {
            List<StoredObject> out = new ArrayList<>();
            ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(region.bucket()).prefix(prefix)
                    .recursive(true);
            if (startAfter != null) {
                args.startAfter(startAfter);
            }
            for (Result<Item> r : client.listObjects(args.build())) {
                Item item = r.get();
                if (item.isDir() || item.objectName().endsWith("/")) {
                    continue; // folder placeholders of file-system backed stores
                }
                Instant modified = item.lastModified() == null ? Instant.EPOCH : item.lastModified().toInstant();
                out.add(new StoredObject(item.objectName(), item.size(), modified));
            }
            return out;
        });
    }

    @Override
    public void delete(String key) {
        retrying("delete " + key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(region.bucket()).object(key).build());
            return null;
        });
    }

    @Override
    public void deleteAll(List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        retrying("delete " + keys.size() + " objects", () -> {
            List<DeleteObject> objects = keys.stream().map(DeleteObject::new).toList();
            for (Result<DeleteError> r : client.removeObjects(RemoveObjectsArgs.builder()
                    .bucket(region.bucket()).objects(objects).build())) {
                DeleteError error = r.get();
                throw new StoreException("delete of " + error.objectName() + " in region " + region.name()
                        + " failed: " + error.message(), null);
            }
            return null;
        });
    }

    @Override
    public int abortUploadsStartedBefore(String prefix, Instant startedBefore) {
        List<Upload> stale = new ArrayList<>();
        for (Upload upload : pendingUploads(prefix)) {
            if (upload.initiated() != null && upload.initiated().toInstant().isBefore(startedBefore)) {
                stale.add(upload);
            }
        }
        for (Upload upload : stale) {
            retrying("abort upload of " + upload.objectName(), () -> await(asyncClient.abortMultipartUploadAsync(
                    region.bucket(), null, upload.objectName(), upload.uploadId(), null, null),
                    limits.requestTimeout(), upload.objectName()));
        }
        return stale.size();
    }

    /** Multipart uploads under {@code prefix} that were started and neither completed nor aborted. */
    public List<Upload> pendingUploads(String prefix) {
        return retrying("list uploads under " + prefix, () -> {
            List<Upload> out = new ArrayList<>();
            String keyMarker = null;
            String uploadIdMarker = null;
            while (true) {
                ListMultipartUploadsResponse page = await(asyncClient.listMultipartUploadsAsync(region.bucket(), null,
                        null, null, keyMarker, null, prefix, uploadIdMarker, null, null), limits.requestTimeout(), "");
                out.addAll(page.result().uploads());
                if (!page.result().isTruncated()) {
                    return out;
                }
                keyMarker = page.result().nextKeyMarker();
                uploadIdMarker = page.result().nextUploadIdMarker();
            }
        });
    }

    private interface StoreCall<T> {
        T run() throws Exception;
    }

    /** An idempotent call: transient failures are tried again, up to {@code attempts}. */
    private <T> T retrying(String what, StoreCall<T> call) {
        long pause = 200;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (Exception e) {
                Exception cause = unwrap(e);
                if (attempt >= limits.attempts() || !isTransient(cause)) {
                    throw translate(what, cause, attempt);
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new StoreException(what + " in region " + region.name() + " interrupted", interrupted);
            }
            pause = Math.min(pause * 2, 2_000);
        }
    }

    /** A call that cannot be repeated (its input stream is consumed): one attempt. */
    private <T> T once(String what, StoreCall<T> call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw translate(what, unwrap(e), 1);
        }
    }

    /** Waits for an asynchronous call, at most {@code deadline}; past it the call is cancelled. */
    private <T> T await(CompletableFuture<T> future, Duration deadline, String key) throws Exception {
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            cancelCallsOn(key);
            throw new DeadlineExceededException("no answer within " + deadline);
        } catch (InterruptedException e) {
            future.cancel(true);
            cancelCallsOn(key);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** Stops the HTTP exchanges still running for {@code key} once nobody waits for them. */
    private void cancelCallsOn(String key) {
        String path = "/" + region.bucket() + (key.isEmpty() ? "" : "/" + key);
        List<okhttp3.Call> calls = new ArrayList<>(http.dispatcher().runningCalls());
        calls.addAll(http.dispatcher().queuedCalls());
        for (okhttp3.Call c : calls) {
            if (("/" + String.join("/", c.request().url().pathSegments())).equals(path)) {
                c.cancel();
            }
        }
    }

    private static boolean isTransient(Exception e) {
        if (e instanceof ErrorResponseException r) {
            return TRANSIENT_CODES.contains(r.errorResponse().code());
        }
        if (e instanceof ServerException s) {
            return s.statusCode() >= 500 || s.statusCode() == 429;
        }
        return e instanceof IOException || e instanceof InvalidResponseException;
    }

    private RuntimeException translate(String what, Exception e, int attempts) {
        String tries = attempts > 1 ? " after " + attempts + " attempts" : "";
        if (e instanceof ErrorResponseException r) {
            String code = r.errorResponse().code();
            if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code)) {
                return new ObjectMissingException(what.substring(what.indexOf(' ') + 1));
            }
            return new StoreException(what + " in region " + region.name() + " refused" + tries + ": " + code + " "
                    + r.errorResponse().message(), e);
        }
        if (e instanceof StoreException || e instanceof ObjectMissingException) {
            return (RuntimeException) e;
        }
        return new StoreException(what + " in region " + region.name() + " (" + region.endpoint() + ") failed" + tries
                + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    private static Exception unwrap(Exception e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Exception ex ? ex : e;
    }

    /** The deadline of a call has passed; the exchange is cancelled. */
    static final class DeadlineExceededException extends InterruptedIOException {
        DeadlineExceededException(String message) {
            super(message);
        }
    }

    /**
     * An object's body that is closed when its deadline passes, so a store that trickles bytes
     * cannot hold the reader for ever: the next read fails with the deadline as its reason.
     */
    private static final class DeadlineStream extends FilterInputStream {
        private final ScheduledFuture<?> timer;
        private final Duration deadline;
        private final String key;
        private volatile boolean expired;

        DeadlineStream(InputStream in, Duration deadline, String key) {
            super(in);
            this.deadline = deadline;
            this.key = key;
            this.timer = DEADLINES.schedule(this::expire, deadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void expire() {
            expired = true;
            try {
                in.close();
            } catch (IOException e) {
                // closing is how the reader is stopped; nothing else to do
            }
        }

        @Override
        public int read() throws IOException {
            try {
                return check(super.read());
            } catch (IOException e) {
                throw expired ? deadlineFailure() : e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return check(super.read(b, off, len));
            } catch (IOException e) {
                throw expired ? deadlineFailure() : e;
            }
        }

        private int check(int result) throws IOException {
            if (expired) {
                throw deadlineFailure();
            }
            return result;
        }

        private IOException deadlineFailure() {
            return new DeadlineExceededException("reading " + key + " did not finish within " + deadline);
        }

        @Override
        public void close() throws IOException {
            timer.cancel(false);
            super.close();
        }
    }
}
