"""Raw HTTP/1.1 over a socket, for tests that must send exact bytes (node
18's upload, ambiguous framing, pipelining, slow clients) whatever the
machine's client libraries would send."""
import socket
import time


class RawReply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


def read_replies(sock, count, timeout=10):
    """Reads up to `count` answers (each with a Content-Length) from sock;
    stops early when the peer closes."""
    sock.settimeout(timeout)
    data, replies = b"", []
    deadline = time.time() + timeout
    while len(replies) < count and time.time() < deadline:
        head_end = data.find(b"\r\n\r\n")
        if head_end >= 0:
            lines = data[:head_end].decode("latin-1").split("\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            if len(data) >= head_end + 4 + length:
                status = int(lines[0].split(" ")[1])
                if status != 100:
                    replies.append(RawReply(status, headers, data[head_end + 4:head_end + 4 + length]))
                data = data[head_end + 4 + length:]
                continue
        try:
            chunk = sock.recv(65536)
        except (socket.timeout, ConnectionResetError):
            break
        if not chunk:
            break
        data += chunk
    return replies


def exchange(host, port, data, count=1, timeout=10):
    """Sends data on a fresh connection; answers the replies read."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(data)
        return read_replies(s, count, timeout)


def closed_by_peer(sock, timeout=5):
    """Whether the peer closes the connection (after any answer) in time."""
    sock.settimeout(timeout)
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False
