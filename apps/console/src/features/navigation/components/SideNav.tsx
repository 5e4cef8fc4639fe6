import { NavLink } from 'react-router-dom';
import { useVisiblePages } from '../hooks/useVisiblePages';

/** The role's pages; a page whose endpoints this server lacks is marked, not hidden. */
export function SideNav() {
  const pages = useVisiblePages();
  return (
    <nav className="side-nav" aria-label="Main">
      <div className="side-nav__brand">Dynaprice</div>
      <ul>
        {pages.map((page) => (
          <li key={page.path}>
            <NavLink to={page.path}>
              <span>{page.label}</span>
              {!page.available && <span className="side-nav__hint">not on this server</span>}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
