// The icons pages/built-ins/cards.mdx imports from `@components/icons`, as Nextra's own docs
// site has them (an alias of its components/ folder, jsconfig.json): small inline SVGs here.
export function CardsIcon(props) {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" {...props}>
      <rect x="3" y="5" width="14" height="14" rx="2" />
      <path d="M7 3h12a2 2 0 0 1 2 2v12" />
    </svg>
  )
}

export function OneIcon(props) {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" {...props}>
      <circle cx="12" cy="12" r="9" />
      <path d="M11 8l2-1v10" />
    </svg>
  )
}

export function WarningIcon(props) {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" {...props}>
      <path d="M12 3l10 18H2z" />
      <path d="M12 10v5M12 18v.5" />
    </svg>
  )
}
