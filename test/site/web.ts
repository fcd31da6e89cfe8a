// TEST CODE: the site's web server in the "internet" namespace: what the LAN
// client fetches through the firewall. Usage: bun web.ts ADDRESS PORT
const [hostname = "198.51.100.80", port = "80"] = process.argv.slice(2);
Bun.serve({
  hostname,
  port: Number(port),
  fetch: () => new Response("hello from the internet\n"),
});
