package dev.lifeboat.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;

import dev.lifeboat.events.EventJson;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
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
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import io.minio.messages.Part;
import okhttp3.OkHttpClient;

/**
 * Lifeboat's one adapter to an S3-compatible object store (MinIO, AWS S3, Ceph RGW, S3Proxy).
 * Uploads stream in parts of {@link #PART_SIZE}, so memory does not grow with object size.
 */
public class ObjectStore {
    /** Multipart part size; the client buffers one part, so this bounds the memory of an upload. */
    public static final long PART_SIZE = 16L * 1024 * 1024;

    private final Region region;
    private final MinioClient client;
    private final MinioAsyncClient asyncClient;

    public ObjectStore(Region region) {
        this.region = region;
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(2, TimeUnit.MINUTES)
                .writeTimeout(2, TimeUnit.MINUTES)
                .retryOnConnectionFailure(false)
                .build();
        this.client = MinioClient.builder()
                .endpoint(region.endpoint())
                .credentials(region.accessKey(), region.secretKey())
                .httpClient(http)
                .build();
        this.asyncClient = MinioAsyncClient.builder()
                .endpoint(region.endpoint())
                .credentials(region.accessKey(), region.secretKey())
                .httpClient(http)
                .build();
    }

    public Region region() {
        return region;
    }

    public String regionName() {
        return region.name();
    }

    /** Creates the bucket if it does not exist. */
    public void ensureBucket() {
        call("create bucket", () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(region.bucket()).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(region.bucket()).build());
            }
            return null;
        });
    }

    /** True when the store answers and the bucket exists. */
    public boolean isReachable() {
        try {
            return client.bucketExists(BucketExistsArgs.builder().bucket(region.bucket()).build());
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Streams {@code in} to {@code key}. With {@code size} -1 the length is unknown and the upload is
     * multipart; an aborted upload leaves no object under {@code key}.
     */
    public void put(String key, InputStream in, long size, String contentType) {
        if (size < 0) {
            call("put " + key, () -> {
                putPipelined(key, in, contentType);
                return null;
            });
            return;
        }
        call("put " + key, () -> client.putObject(PutObjectArgs.builder()
                .bucket(region.bucket())
                .object(key)
                .stream(in, size, -1)
                .contentType(contentType)
                .build()));
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
        String uploadId = asyncClient.createMultipartUploadAsync(region.bucket(), null, key, headers, null)
                .get().result().uploadId();
        byte[][] buffers = {new byte[(int) PART_SIZE], new byte[(int) PART_SIZE]};
        List<Part> parts = new ArrayList<>();
        CompletableFuture<UploadPartResponse> inFlight = null;
        try {
            for (int number = 1; ; number++) {
                byte[] buffer = buffers[number % 2];
                int length = in.readNBytes(buffer, 0, buffer.length);
                if (inFlight != null) {
                    UploadPartResponse done = inFlight.get();
                    parts.add(new Part(done.partNumber(), done.etag()));
                    inFlight = null;
                }
                if (length == 0 && number > 1) {
                    break;
                }
                inFlight = asyncClient.uploadPartAsync(region.bucket(), null, key, buffer, length, uploadId, number,
                        null, null);
                if (length < buffer.length) {
                    UploadPartResponse done = inFlight.get();
                    parts.add(new Part(done.partNumber(), done.etag()));
                    break;
                }
            }
            asyncClient.completeMultipartUploadAsync(region.bucket(), null, key, uploadId, parts.toArray(Part[]::new),
                    null, null).get();
        } catch (Exception e) {
            if (inFlight != null) {
                inFlight.cancel(true);
            }
            try {
                asyncClient.abortMultipartUploadAsync(region.bucket(), null, key, uploadId, null, null).get();
            } catch (Exception abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw unwrap(e);
        }
    }

    public void putJson(String key, Object document) {
        byte[] bytes;
        try {
            bytes = EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize " + document.getClass().getSimpleName(), e);
        }
        put(key, new ByteArrayInputStream(bytes), bytes.length, "application/json");
    }

    /** Opens the object for streaming; the caller closes the stream. */
    public InputStream get(String key) {
        return call("get " + key, () -> client.getObject(GetObjectArgs.builder()
                .bucket(region.bucket()).object(key).build()));
    }

    public <T> T getJson(String key, Class<T> type) {
        try (InputStream in = get(key)) {
            return EventJson.mapper().readValue(in, type);
        } catch (IOException e) {
            throw new StoreException("cannot read " + key + " from " + region.name() + ": " + e.getMessage(), e);
        }
    }

    public Optional<StoredObject> stat(String key) {
        try {
            return Optional.of(call("stat " + key, () -> {
                StatObjectResponse r = client.statObject(StatObjectArgs.builder()
                        .bucket(region.bucket()).object(key).build());
                return new StoredObject(key, r.size(), r.lastModified().toInstant());
            }));
        } catch (ObjectMissingException e) {
            return Optional.empty();
        }
    }

    /** Every object under {@code prefix}, at any depth, in key order. */
    public List<StoredObject> list(String prefix) {
        return call("list " + prefix, () -> {
            List<StoredObject> out = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder()
                    .bucket(region.bucket()).prefix(prefix).recursive(true).build())) {
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

    public void delete(String key) {
        call("delete " + key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(region.bucket()).object(key).build());
            return null;
        });
    }

    public void deleteAll(List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        call("delete " + keys.size() + " objects", () -> {
            List<DeleteObject> objects = keys.stream().map(DeleteObject::new).toList();
            for (Result<DeleteError> r : client.removeObjects(RemoveObjectsArgs.builder()
                    .bucket(region.bucket()).objects(objects).build())) {
                DeleteError error = r.get();
                throw new StoreException("delete of " + error.objectName() + " failed: " + error.message(), null);
            }
            return null;
        });
    }

    private static Exception unwrap(Exception e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Exception ex ? ex : e;
    }

    /** Multipart uploads of {@code key} that were started and neither completed nor aborted. */
    public int pendingUploads(String key) {
        return call("list uploads of " + key, () -> asyncClient.listMultipartUploadsAsync(region.bucket(), null, null,
                null, key, null, null, null, null, null).get().result().uploads().size());
    }

    private interface StoreCall<T> {
        T run() throws Exception;
    }

    private <T> T call(String what, StoreCall<T> call) {
        try {
            return call.run();
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code)) {
                throw new ObjectMissingException(what.substring(what.indexOf(' ') + 1));
            }
            throw new StoreException(what + " in region " + region.name() + " refused: " + code + " "
                    + e.errorResponse().message(), e);
        } catch (StoreException | ObjectMissingException e) {
            throw e;
        } catch (Exception e) {
            throw new StoreException(what + " in region " + region.name() + " (" + region.endpoint() + ") failed: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
