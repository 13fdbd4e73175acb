import { defineMessages } from '../define';

export const auth = defineMessages({
  ru: {
    'auth.login.title': 'Вход для сотрудников',
    'auth.login.subtitle': 'Панель управления сети CTEA',
    'auth.login.email': 'Электронная почта',
    'auth.login.password': 'Пароль',
    'auth.login.submit': 'Войти',
    'auth.login.submitting': 'Входим…',
    'auth.error.invalidCredentials': 'Неверная электронная почта или пароль.',
    'auth.error.accountLocked':
      'Слишком много неудачных попыток. Вход заблокирован на {minutes} мин., попробуйте позже.',
    'auth.error.rateLimited':
      'Слишком много попыток входа с этого адреса. Попробуйте через {minutes} мин.',
    'auth.error.emailRequired': 'Введите электронную почту.',
    'auth.error.emailInvalid': 'Проверьте адрес электронной почты.',
    'auth.error.passwordRequired': 'Введите пароль.',
  },
  zh: {
    'auth.login.title': '员工登录',
    'auth.login.subtitle': 'CTEA 连锁管理后台',
    'auth.login.email': '电子邮箱',
    'auth.login.password': '密码',
    'auth.login.submit': '登录',
    'auth.login.submitting': '正在登录…',
    'auth.error.invalidCredentials': '邮箱或密码错误。',
    'auth.error.accountLocked': '失败次数过多，登录已锁定 {minutes} 分钟，请稍后再试。',
    'auth.error.rateLimited': '此网络的登录尝试过多，请 {minutes} 分钟后再试。',
    'auth.error.emailRequired': '请输入电子邮箱。',
    'auth.error.emailInvalid': '请检查邮箱地址。',
    'auth.error.passwordRequired': '请输入密码。',
  },
  en: {
    'auth.login.title': 'Staff sign-in',
    'auth.login.subtitle': 'CTEA chain back office',
    'auth.login.email': 'Email',
    'auth.login.password': 'Password',
    'auth.login.submit': 'Sign in',
    'auth.login.submitting': 'Signing in…',
    'auth.error.invalidCredentials': 'Incorrect email or password.',
    'auth.error.accountLocked':
      'Too many failed attempts. Sign-in is locked for {minutes} minutes; try again later.',
    'auth.error.rateLimited':
      'Too many sign-in attempts from this network. Try again in {minutes} minutes.',
    'auth.error.emailRequired': 'Enter your email.',
    'auth.error.emailInvalid': 'Check the email address.',
    'auth.error.passwordRequired': 'Enter your password.',
  },
});
