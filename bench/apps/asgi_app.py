"""The benchmark's endpoints as an ASGI app, for Uvicorn: /io awaits a 10 ms timer on the event
loop; /cpu runs on the loop, like an async handler that does not offload (see wsgi_app.py)."""
import asyncio

from wsgi_app import burn


async def send_text(send, status, body):
    data = body.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    path = scope["path"]
    if path == "/hello":
        await send_text(send, 200, "Hello, World!")
    elif path == "/cpu":
        await send_text(send, 200, "burned %d\n" % burn())
    elif path == "/io":
        await asyncio.sleep(0.010)
        await send_text(send, 200, "waited 10 ms\n")
    else:
        await send_text(send, 404, "Not Found\n")
