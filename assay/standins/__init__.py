"""Local stand-ins for the clouds, for the demo and the tests: moto in server mode, and stub API servers
for Azure Resource Manager and Kubernetes that replay recorded responses. Real HTTP, real SDK clients."""
