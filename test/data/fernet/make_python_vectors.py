"""Makes python.json: tokens from Python's cryptography.fernet, the library SyncMaster uses.

Run by hand (python3 make_python_vectors.py > python.json); the tests read the committed output,
so neither Python nor cryptography is needed to build or test pg_syncmaster.
Each vector: the key, the plaintext, a token made with a fixed IV and time (the C++ side must
make the same bytes) and one made by Fernet.encrypt with a random IV (the C++ side must read it).
"""
import base64
import json
import sys

from cryptography.fernet import Fernet

KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
IV = bytes(range(100, 116))
TIME = 1764115200  # 2025-11-26T00:00:00Z

credentials = {"type": "basic", "user": "etl", "password": "p@ss wörd\u00e9"}
plaintexts = [
    "",
    "hello",
    "0123456789abcdef",  # exactly one block: the padding is a whole block
    json.dumps(credentials, ensure_ascii=False, sort_keys=True),
    json.dumps({"type": "s3", "access_key": "AKIA", "secret_key": "x" * 300}, sort_keys=True),
]

f = Fernet(KEY)
vectors = []
for text in plaintexts:
    data = text.encode()
    vectors.append({
        "secret": KEY,
        "src": text,
        "iv": list(IV),
        "now": TIME,
        "token": f._encrypt_from_parts(data, TIME, IV).decode(),
        "random_iv_token": f.encrypt(data).decode(),
    })
json.dump(vectors, sys.stdout, ensure_ascii=False, indent=2)
sys.stdout.write("\n")
