/** The app's mark and name, as in the favicon. */
export function Logo() {
  return (
    <span className="logo">
      <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="currentColor" />
        <path
          d="M9 21.5a4.5 4.5 0 0 1 .9-8.9 6.5 6.5 0 0 1 12.4 1.4A3.8 3.8 0 0 1 22 21.5z"
          fill="#fff"
        />
      </svg>
      filestore
    </span>
  );
}
