/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The e2e suite builds into its own folder so it can run beside a running console.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // `next dev` opened at 127.0.0.1 (what NEXTAUTH_URL defaults to) must get its dev assets.
  allowedDevOrigins: ['127.0.0.1'],
  // The worker and the CLI run from source with tsx; the generated Prisma client is ESM.
  serverExternalPackages: ['amqplib', 'pg', '@prisma/adapter-pg'],
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
