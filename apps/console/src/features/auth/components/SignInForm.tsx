import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../../api/api-error';
import { FormField } from '../../../shared/components/FormField';
import type { Credentials } from '../hooks/useLogin';

export interface SignInFormProps {
  onSubmit: (credentials: Credentials) => void;
  pending: boolean;
  error: unknown;
}

function signInError(error: unknown): string | null {
  if (!error) return null;
  if (error instanceof ApiError && (error.status === 401 || error.status === 400)) return 'The e-mail address or the password is not right.';
  return describeError(error);
}

export function SignInForm({ onSubmit, pending, error }: SignInFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ email: email.trim(), password });
  };
  const message = signInError(error);
  return (
    <form className="stack" onSubmit={submit} aria-label="Sign in">
      <FormField label="E-mail">
        <input className="input" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
      </FormField>
      <FormField label="Password">
        <input className="input" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
      </FormField>
      {message && (
        <p className="notice notice--error" role="alert">
          {message}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
