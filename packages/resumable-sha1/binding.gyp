{
  "targets": [
    {
      "target_name": "resumable_sha1",
      "sources": ["src/resumable_sha1.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
