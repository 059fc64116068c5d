/**
 * The app API of herd: what a user's app compiles against. It has no dependencies and no
 * server type appears in it.
 *
 * <p>An app is one public class with a public no-argument constructor that implements
 * {@link dev.herd.api.Handler} (blocking, like WSGI), {@link dev.herd.api.AsyncHandler}
 * (non-blocking, like ASGI), or both, and optionally {@link dev.herd.api.Lifecycle}. herd
 * creates one instance of it per worker process.
 *
 * <h2>Which thread calls the app</h2>
 * <table>
 *   <caption>Execution models</caption>
 *   <tr><th>model</th><th>calls</th><th>thread</th><th>may block</th></tr>
 *   <tr><td>{@code sync}</td><td>{@code Handler}</td><td>one dedicated platform thread; one
 *       request at a time per worker</td><td>yes</td></tr>
 *   <tr><td>{@code threads}</td><td>{@code Handler}</td><td>one of {@code --threads} pooled
 *       platform threads</td><td>yes</td></tr>
 *   <tr><td>{@code virtual}</td><td>{@code Handler}</td><td>a new virtual thread per
 *       request</td><td>yes</td></tr>
 *   <tr><td>{@code async}</td><td>{@code AsyncHandler}</td><td>the connection's event loop
 *       thread</td><td><b>never</b>: use {@link dev.herd.api.AsyncContext#offload}</td></tr>
 * </table>
 * Under the blocking models an app that only implements {@code AsyncHandler} is called on the
 * model's thread and its stage is awaited there. The {@code async} model requires an
 * {@code AsyncHandler}.
 */
package dev.herd.api;
