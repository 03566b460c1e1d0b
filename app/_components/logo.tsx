/** The product mark (same drawing as public/favicon.svg). */
export function Logo({ size = 18 }: { size?: number }) {
  return (
    <svg aria-hidden viewBox="0 0 32 32" width={size} height={size}>
      <rect width="32" height="32" rx="6" fill="#1d4ed8" />
      <path d="M8 10h16M8 16h16" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
      <path d="M8 22h9" stroke="#fca5a5" strokeWidth="2.5" strokeLinecap="round" />
      <circle cx="23" cy="22" r="2.5" fill="#fca5a5" />
    </svg>
  );
}
