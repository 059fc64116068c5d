"""A WebSocket echo as an ASGI app, for Uvicorn (--ws websockets): /ws/echo sends every message
back as it came; plain HTTP gets 404 (bench/ws.sh, and docs/benchmarks.md)."""


async def app(scope, receive, send):
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 404,
                    "headers": [(b"content-type", b"text/plain"), (b"content-length", b"10")]})
        await send({"type": "http.response.body", "body": b"Not Found\n"})
        return
    if scope["type"] != "websocket":
        return  # lifespan: not used, and Uvicorn's default (auto) lets that pass
    if scope["path"] != "/ws/echo":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008})  # Uvicorn refuses the handshake: 403
        return
    while True:
        message = await receive()
        kind = message["type"]
        if kind == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif kind == "websocket.receive":
            if message.get("text") is not None:
                await send({"type": "websocket.send", "text": message["text"]})
            else:
                await send({"type": "websocket.send", "bytes": message["bytes"]})
        else:  # websocket.disconnect
            return
