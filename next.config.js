/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The e2e suite builds into its own folder so it can run beside a running console.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // The Docker image (Dockerfile) runs the standalone server; `npm start` runs `next start`.
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
  poweredByHeader: false,
  // `next dev` opened at 127.0.0.1 (what NEXTAUTH_URL defaults to) must get its dev assets.
  allowedDevOrigins: ['127.0.0.1'],
  // The worker and the CLI run from source with tsx; the generated Prisma client is ESM.
  serverExternalPackages: ['amqplib', 'pg', '@prisma/adapter-pg'],
  // Pages get their Content-Security-Policy (with a per-request nonce) and HSTS from proxy.ts.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=()' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
        ],
      },
      {
        // The API answers JSON and exact message bytes (GET /messages/{id}/body): nothing
        // there may run or be framed, even if a browser were tricked into rendering it.
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" }],
      },
    ];
  },
};

export default nextConfig;
